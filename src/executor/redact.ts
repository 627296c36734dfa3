import { stripTerminalEscapes } from "./escapes.js";
import { maskRanges, type Range } from "./mask.js";
import { redactEmbeddedJson } from "./redact-embedded.js";
import { jsonSecretRanges } from "./redact-json.js";
import { isSensitiveKey } from "./redact-keys.js";
import { sensitiveValueRanges } from "./redact-kv.js";
import { phraseRanges, typedSecretRanges } from "./redact-phrases.js";
import { tokenRanges } from "./redact-tokens.js";
import { yamlSecretRanges } from "./redact-yaml.js";

export { REDACTED } from "./mask.js";

// `--token abc` (space-separated flag value); the `=` form is handled with other key=value pairs.
const FLAG_VALUE = /(?<![\w-])--([A-Za-z][\w-]{0,63})([ \t]+)([^\s-]\S*)/g;

/**
 * Something every rule needs in order to match: the words of credential-like key and entry names (see
 * redact-keys.ts: `api_key` contains "key", `authorization` contains "auth", `DB_PW`, `tls.pem`), Secret
 * data keys, the auth schemes, the commands whose flags carry passwords, "@" of a URL password, an encoded
 * "=" or ":", and the prefixes of recognised token formats. Text without any of them is returned as it is,
 * without running the rules. A superset of what the rules need; a test checks that this never changes a
 * result. Three small patterns: one long alternation would keep V8 from skipping ahead to candidates.
 */
const MAY_HOLD_SECRET = [
  /pass|pwd|secret|token|key|cert|credential|auth|cookie|dsn|salt|signature|conn|webhook|hook|bearer|basic|data[:"\\]|id_[rde]|netrc|npmrc|pypirc|dockerc|mysql|mariadb|redis-cli|curl|login/i,
  /@|%(?:25)?3[da]|[_.-](?:pat|pw|pem|p12|pfx|jks|kdbx)/i,
  /eyJ|A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA|Iza)|gh[pousr]_|github_pat_|glpat-|xox[a-z]-|xapp-|[sr]k_(?:live|test)_|whsec_|ya29\.|sk-|npm_|pypi-|hf_|SG\.|_v1_|dckr_pat_|hv[sbr]\./,
];

function mayHoldSecret(text: string): boolean {
  return MAY_HOLD_SECRET.some((pattern) => pattern.test(text));
}

/**
 * Masks secret-looking values with `***REDACTED***`, keeping the key so the output stays readable:
 * Secret `data`/`stringData` values; env entries, ConfigMap data and `describe` entries named like
 * credentials (YAML, JSON, JSON inside annotations and log lines); credential-named fields and flags
 * (password, token, apiKey, client-key-data …); "the password is X" and `mysql -pX`; URL-encoded pairs;
 * tokens recognised by format (cloud, GitHub, Slack, Stripe …, JWTs, private key blocks); bearer and basic
 * credentials; URL passwords. Terminal escape sequences are removed first (see `stripTerminalEscapes`), so
 * colour codes can neither split a key from its secret nor reach a terminal.
 */
export function redact(text: string): string {
  const plain = stripTerminalEscapes(text);
  return mayHoldSecret(plain) ? redactUntilStable(plain) : plain;
}

/**
 * `redact` for a sentence a person typed as a request (a goal): also masks a word right after "password",
 * "token", "secret" … without a connecting "is"/"to" ("rotate db password hunter2"), which in program
 * output would mask too much.
 */
export function redactTyped(text: string): string {
  const out = redact(text);
  return mayHoldSecret(out) ? maskRanges(out, typedSecretRanges(out)) : out;
}

/** `redact` without the shortcut for text that cannot match; exported for the test that checks the shortcut. */
export function redactPatterns(text: string): string {
  return redactUntilStable(stripTerminalEscapes(text));
}

/** Passes after which masking stops even if a further pass would still find something (each pass only adds masks). */
const MAX_PASSES = 4;

/**
 * Masks, then looks again while the last pass masked something: a mask can join what followed it to a value the
 * next look would mask. In `password=//u:'@` the value ends at the quote and the URL rule masks the quote, so
 * `password=***REDACTED***@` is left, whose value now runs to the end. Masked text must stay as it is when masked
 * again (the audit log and the answers redact text that was redacted before).
 */
function redactUntilStable(text: string): string {
  let before = text;
  let after = redactAt(before, 0);
  for (let pass = 1; pass < MAX_PASSES && after !== before; pass++) {
    before = after;
    after = redactAt(before, 0);
  }
  return after;
}

function flagValueRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const m of text.matchAll(FLAG_VALUE)) {
    const value = m[3] as string;
    if (isSensitiveKey(m[1] as string)) ranges.push([m.index + m[0].length - value.length, m.index + m[0].length]);
  }
  return ranges;
}

/** Every rule finds ranges in the same text and one pass masks them, so rules never see each other's masks. */
function redactAt(text: string, depth: number): string {
  const out = redactEmbeddedJson(text, redactAt, depth);
  return maskRanges(out, [
    ...yamlSecretRanges(out),
    ...jsonSecretRanges(out),
    ...sensitiveValueRanges(out),
    ...flagValueRanges(out),
    ...phraseRanges(out),
    ...tokenRanges(out),
  ]);
}
