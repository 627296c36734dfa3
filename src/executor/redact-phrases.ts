import { REDACTED, type Range } from "./mask.js";
import { isSecretEntryName, isSensitiveKey } from "./redact-keys.js";

// A value as prose and command lines write it: quoted, or up to whitespace or a separator.
const VALUE = String.raw`("[^"\n]{1,256}"|'[^'\n]{1,256}'|\x60[^\x60\n]{1,256}\x60|[^\s"'\x60,;]{1,256})`;
const SECRET_WORD = String.raw`(?:password|passwd|passphrase|secret|token|api[ _-]?key|access[ _-]?key)s?`;

// `the password is X`, `set the DB password to X`, `password for user bob is X`, `API key: X`.
const SECRET_IS = new RegExp(
  String.raw`${SECRET_WORD}(?:[ \t]+(?:for|of)(?:[ \t]+[^\s]{1,64}){1,2}?)?(?:[ \t]*[:=]|[ \t]+(?:is|was|to|becomes|->|=>))(?:[ \t]+(?:now|still|set[ \t]+to))?[ \t]+${VALUE}`,
  "gi",
);
// `login with password X`, `using the token X`.
const WITH_SECRET = new RegExp(String.raw`(?:with|using)[ \t]+(?:the[ \t]+)?(?:[\w-]{1,32}[ \t]+)?(?:password|passphrase|token|api[ _-]?key)[ \t]+${VALUE}`, "gi");
// `password "X"`: a quoted string right after the word. ("secret" is left out: kubectl writes
// `secrets "db" not found`.)
const QUOTED_AFTER = /(?:password|passwd|passphrase|token|api[ _-]?key)s?[ \t]+("[^"\n]{1,256}"|'[^'\n]{1,256}')/gi;
// A secret-named entry as separate key and value fields on one line: `key=DB_PASSWORD value=X`.
const NAMED_VALUE = new RegExp(
  String.raw`(?:key|name)[ \t]*[=:][ \t]*["']?([A-Za-z_][\w.-]{0,63})["']?[ \t]*[,;]?[ \t]*value[ \t]*[=:][ \t]*${VALUE}`,
  "g",
);
// A secret flag on its own line or array element, its value in the next one: `args: [--db-password, X]`
// in YAML and JSON, or describe's "Args:" block.
const FLAG_THEN_VALUE = new RegExp(
  String.raw`--([A-Za-z][\w-]{0,63})(?:["']?,?[ \t]*\r?\n[ \t]*(?:- )?|["'][ \t]*,[ \t]*)${VALUE}`,
  "g",
);

// In free text a person typed (a goal), any word right after a secret word is taken for the secret:
// "rotate db password hunter2". Too eager for program output, right for a sentence meant as a request.
// ("secret" is left out: after it come Secret names, "show secret db-creds".)
const BARE_AFTER = new RegExp(String.raw`(?:password|passwd|passphrase|pwd|token|api[ _-]?key)s?[ \t]+(?:(?:as|is|to)[ \t]+)?${VALUE}`, "gi");

// Words that follow "password is" in ordinary messages; they describe the secret instead of being it.
const NOT_A_VALUE = new Set(
  (
    "a an the this that it its not no none null nil empty blank missing required optional invalid valid wrong incorrect " +
    "correct expired expiring revoked stale unset set changed updated rotated reset renewed refreshed generated created " +
    "deleted removed stored cached mounted loaded provided specified defined configured present absent ok accepted " +
    "rejected denied used needed too being also only still now in on at from for of and or true false weak strong " +
    "mismatch short long disabled enabled unknown undefined redacted hidden masked secret secrets policy policies rotation " +
    "expiry change manager store file files field fields key keys value values name names with by via into"
  ).split(" "),
);

// Passwords glued to or following a command's own flag: `mysql -pS3cret`, `sshpass -p X`,
// `redis-cli -a X`, `curl -u user:X`, `docker login -p X`.
const COMMAND_SECRET = new RegExp(
  [
    String.raw`(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlcheck|mysqlpump|mysqlsh|mariadb|mariadb-dump|mariadb-admin)\b[^\n]{0,256}?[ \t]-p(?=[^\s-])${VALUE}`,
    String.raw`sshpass[ \t]+-p[ \t]*${VALUE}`,
    String.raw`redis-cli\b[^\n]{0,256}?[ \t](?:-a|--pass)[ \t]+${VALUE}`,
    String.raw`curl\b[^\n]{0,256}?[ \t](?:-u|--user)[ \t=]+["']?[^\s:"']{0,128}:${VALUE}`,
    String.raw`(?:docker|podman|nerdctl|helm|buildah|skopeo)\b[^\n]{0,64}?\blogin\b[^\n]{0,256}?[ \t]-p[ \t]+${VALUE}`,
  ].join("|"),
  "g",
);

// URL-encoded `key=value` and `"key":"value"` (form bodies, query strings, encoded JSON): `token%3Dabc`.
const ENCODED_PAIR =
  /(?:(?<=%[0-9A-Fa-f]{2})|(?<![A-Za-z0-9_%]))([A-Za-z_][A-Za-z0-9_.-]{0,63})(?:%22|%27)?(?:%3[DdAa]|%253[DdAa])(?:%20|\+)*(?:%22|%27|%2522)?([^\s&"'%]*(?:%(?!26|22|27|25)[0-9A-Fa-f]{2}[^\s&"'%]*)*)/g;
const ENCODED_SEPARATOR = /%(?:25)?3[DdAa]/;

// A secret-named variable alone on a line with its value: custom-columns or go-template output
// (`DB_PASSWORD   hunter2`).
const ENV_ROW = /^[ \t]*([A-Z][A-Z0-9_]{1,63})[ \t]+([^\s]{1,512})[ \t]*\r?$/gm;

// `kubectl describe configmap` prints each entry as "KEY:\n----\nVALUE".
const DESCRIBE_ENTRY = /^([^\s:][^\n:]{0,252}):\r?\n-{4}\r?\n/gm;
const DESCRIBE_SECTION_END = /^(?:BinaryData\r?\n====|Events:)/m;

// Patterns start with a literal (a leading \b keeps the regex engine from skipping ahead to candidates);
// the word boundary before a match is checked here instead.
function atWordStart(text: string, index: number): boolean {
  return index === 0 || !/[\w-]/.test(text[index - 1] as string);
}

const MAY_HAVE_PHRASE = /pass|secret|token|key/i;
const COMMAND_WORDS = ["mysql", "mariadb", "sshpass", "redis-cli", "curl", "login"];
const MAY_HAVE_NAMED_VALUE = /value[ \t]*[=:]/;

function valueRange(m: RegExpExecArray | RegExpMatchArray, value: string): Range {
  const end = (m.index as number) + m[0].length;
  const quoted = /^["'\x60]/.test(value);
  return quoted ? [end - value.length + 1, end - 1] : [end - value.length, end];
}

function isDescriptiveWord(value: string): boolean {
  const word = value.replace(/^["'\x60]|["'\x60]$/g, "").replace(/[.!?:)]+$/, "").toLowerCase();
  return word === "" || NOT_A_VALUE.has(word) || word.startsWith("<") || value.includes(REDACTED);
}

function describeEntryRanges(text: string, ranges: Range[]): void {
  if (!text.includes("\n----")) return;
  const entries = [...text.matchAll(DESCRIBE_ENTRY)];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] as RegExpMatchArray;
    if (!isSecretEntryName((entry[1] as string).trim())) continue;
    const start = (entry.index as number) + entry[0].length;
    let end = (entries[i + 1]?.index as number | undefined) ?? text.length;
    const section = DESCRIBE_SECTION_END.exec(text.slice(start, end));
    if (section) end = start + section.index;
    while (end > start && /\s/.test(text[end - 1] as string)) end--;
    if (end > start) ranges.push([start, end]);
  }
}

/**
 * Ranges of secrets written as prose or command lines rather than as `key: value` fields: "the password is
 * X", `mysql -pX`, `curl -u user:X`, URL-encoded `token%3DX`, a secret-named variable beside its value in
 * a custom-columns row, and the entries of `kubectl describe configmap` whose key names a credential.
 */
export function phraseRanges(text: string): Range[] {
  const ranges: Range[] = [];
  if (MAY_HAVE_PHRASE.test(text)) {
    for (const pattern of [SECRET_IS, WITH_SECRET, QUOTED_AFTER]) {
      for (const m of text.matchAll(pattern)) {
        const value = m[1] as string;
        if (atWordStart(text, m.index) && !isDescriptiveWord(value)) ranges.push(valueRange(m, value));
      }
    }
  }
  if (MAY_HAVE_NAMED_VALUE.test(text)) {
    for (const m of text.matchAll(NAMED_VALUE)) {
      const value = m[2] as string;
      if (atWordStart(text, m.index) && isSecretEntryName(m[1] as string) && !value.includes(REDACTED)) ranges.push(valueRange(m, value));
    }
  }
  if (text.includes("--")) {
    for (const m of text.matchAll(FLAG_THEN_VALUE)) {
      const value = m[2] as string;
      if (atWordStart(text, m.index) && isSensitiveKey(m[1] as string) && !value.includes(REDACTED) && !value.startsWith("-")) ranges.push(valueRange(m, value));
    }
  }
  if (COMMAND_WORDS.some((word) => text.includes(word))) {
    for (const m of text.matchAll(COMMAND_SECRET)) {
      const value = m.slice(1).find((v) => v !== undefined) as string;
      if (atWordStart(text, m.index) && !value.includes(REDACTED)) ranges.push(valueRange(m, value));
    }
  }
  if (ENCODED_SEPARATOR.test(text)) for (const m of text.matchAll(ENCODED_PAIR)) {
    const value = m[2] as string;
    if (value !== "" && isSensitiveKey(m[1] as string)) ranges.push([(m.index as number) + m[0].length - value.length, (m.index as number) + m[0].length]);
  }
  for (const m of text.matchAll(ENV_ROW)) {
    const value = m[2] as string;
    if (isSecretEntryName(m[1] as string) && !value.includes(REDACTED)) {
      const at = (m.index as number) + m[0].search(/\S+[ \t]*\r?$/);
      ranges.push([at, at + value.length]);
    }
  }
  describeEntryRanges(text, ranges);
  return ranges;
}

/** Ranges of words that follow a secret word in a sentence a person typed (see BARE_AFTER). */
export function typedSecretRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const m of text.matchAll(BARE_AFTER)) {
    const value = m[1] as string;
    if (atWordStart(text, m.index) && !isDescriptiveWord(value)) ranges.push(valueRange(m, value));
  }
  return ranges;
}
