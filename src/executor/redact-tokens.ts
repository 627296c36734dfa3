import type { Range } from "./mask.js";

// Credentials recognisable by their format alone, wherever they appear (logs, tables, bare jsonpath
// output). Each alternative starts with a fixed prefix and repeats one character class, so one pass over
// the text is linear. Publishable keys (Stripe pk_) and public ids are left alone.
const TOKEN = new RegExp(
  [
    // GitHub personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained PATs; GitLab.
    String.raw`gh[pousr]_[A-Za-z0-9]{36,251}\b`,
    String.raw`github_pat_[A-Za-z0-9_]{22,255}`,
    String.raw`glpat-[A-Za-z0-9_-]{20,64}`,
    // Slack bot, user, app-level, refresh and configuration tokens.
    String.raw`xox[abposre]-[A-Za-z0-9-]{10,250}`,
    String.raw`xapp-\d-[A-Za-z0-9-]{10,250}`,
    // Stripe secret and restricted keys, webhook signing secrets.
    String.raw`[sr]k_(?:live|test)_[A-Za-z0-9]{10,247}`,
    String.raw`whsec_[A-Za-z0-9+/=]{20,256}`,
    // Google API keys and OAuth access tokens.
    String.raw`AIza[0-9A-Za-z_-]{35}`,
    String.raw`ya29\.[0-9A-Za-z_-]{20,2048}`,
    // OpenAI and Anthropic keys (the bare sk- form only without dashes, so names like sk-worker-1 pass).
    String.raw`sk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{20,256}`,
    String.raw`sk-[A-Za-z0-9]{32,256}\b`,
    // npm, PyPI, Hugging Face, SendGrid, DigitalOcean and Docker Hub tokens.
    String.raw`npm_[A-Za-z0-9]{36}\b`,
    String.raw`pypi-[A-Za-z0-9_-]{50,256}`,
    String.raw`hf_[A-Za-z0-9]{30,64}\b`,
    String.raw`SG\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{16,64}`,
    String.raw`do[opr]_v1_[a-f0-9]{64}\b`,
    String.raw`dckr_pat_[A-Za-z0-9_-]{20,64}`,
    // AWS access key ids.
    String.raw`A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)[A-Z0-9]{16}\b`,
    // HashiCorp Vault service, batch and recovery tokens.
    String.raw`hv[sbr]\.[A-Za-z0-9_-]{24,512}`,
    // JWTs: a base64url JSON header ("{\"" encodes as eyJ), payload and signature.
    String.raw`eyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}`,
  ].join("|"),
  "g",
);
const AWS_ACCESS_KEY = /^A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA)/;
// A secret access key is 40 base64 characters: only recognisable beside its key id (a credentials CSV,
// `aws configure list`, a log line printing both).
const AWS_SECRET_NEAR = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
// The path of a webhook URL is its credential; the host stays readable.
const WEBHOOK = /(hooks\.slack\.com\/(?:services|workflows|triggers)\/|discord(?:app)?\.com\/api\/webhooks\/)[A-Za-z0-9_/-]{8,512}/g;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY( BLOCK)?-----([\s\S]*?)(?:-----END \1PRIVATE KEY\2-----|$)/dg;
// Credentials of an HTTP auth scheme: `Bearer x`, `Basic x` as headers write them, any scheme right after
// `Authorization:`. Some words after a scheme name are prose ("Basic authentication"), not a credential.
const AUTH_SCHEME = /(?:Bearer|Basic|authorization["']?[ \t]*[:=][ \t]*["']?(?:bearer|basic|digest|token|negotiate))[ \t]+([A-Za-z0-9._~+/=-]{8,4096})/gi;
const PLAIN_WORD = /^(?:auth[a-z]*|credentials?|tokens?|scheme|schemes|header|headers|realm)$/i;
// `scheme://user:password@host` (the user may be empty: `redis://:password@host`).
const URL_PASSWORD = /\/\/[^\s:@/]{0,256}:([^\s@/]{1,256})@/g;

// Patterns start with a literal (no leading \b, which would keep the regex engine from skipping ahead to
// candidates); the word boundary before a match is checked here instead.
function atWordStart(text: string, index: number): boolean {
  return index === 0 || !/[A-Za-z0-9_]/.test(text[index - 1] as string);
}

function push(ranges: Range[], start: number, end: number): void {
  if (end > start) ranges.push([start, end]);
}

/**
 * Ranges of credentials recognised by format: GitHub, GitLab, Slack, Stripe, Google, OpenAI/Anthropic,
 * npm, PyPI, Hugging Face, SendGrid, DigitalOcean and Docker Hub tokens, AWS key ids (and a secret key
 * beside one), JWTs, Slack and Discord webhook paths, private key blocks, bearer/basic/token credentials
 * and URL passwords.
 */
export function tokenRanges(text: string): Range[] {
  const ranges: Range[] = [];
  for (const m of text.matchAll(TOKEN)) {
    if (!atWordStart(text, m.index)) continue;
    const end = m.index + m[0].length;
    push(ranges, m.index, end);
    if (!AWS_ACCESS_KEY.test(m[0])) continue;
    const lineEnd = text.indexOf("\n", end);
    const near = text.slice(end, Math.min(lineEnd < 0 ? text.length : lineEnd, end + 256));
    for (const s of near.matchAll(AWS_SECRET_NEAR)) push(ranges, end + s.index, end + s.index + s[0].length);
  }
  for (const m of text.matchAll(WEBHOOK)) push(ranges, m.index + (m[1] as string).length, m.index + m[0].length);
  for (const m of text.matchAll(PRIVATE_KEY)) {
    const [start, end] = (m.indices as RegExpIndicesArray)[3] as [number, number];
    push(ranges, start, end);
  }
  for (const m of text.matchAll(AUTH_SCHEME)) {
    const credential = m[1] as string;
    if (atWordStart(text, m.index) && !PLAIN_WORD.test(credential)) push(ranges, m.index + m[0].length - credential.length, m.index + m[0].length);
  }
  for (const m of text.matchAll(URL_PASSWORD)) {
    const end = m.index + m[0].length - 1;
    push(ranges, end - (m[1] as string).length, end);
  }
  return ranges;
}
