import { maskRanges, REDACTED } from "./mask.js";
import { isSensitiveKey } from "./redact-keys.js";
import { sensitiveValueRanges } from "./redact-kv.js";
import { jsonSecretDataRanges } from "./redact-secret-json.js";
import { yamlSecretDataRanges } from "./redact-secret-yaml.js";

export { REDACTED } from "./mask.js";

// Every pattern is a single pass with bounded or non-overlapping repetition: linear on large input.
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]{0,40})PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
// Secret data inside JSON that is itself a string value (kubectl's last-applied-configuration annotation).
const ESCAPED_DATA = /(\\"(?:data|stringData)\\":\{)([^{}]*)\}/g;
const ESCAPED_VALUE = /(:\\")(?:[^"\\]|\\[^"])*(\\")/g;
const AUTH_SCHEME = /\b(Bearer|Basic)([ \t]+)[A-Za-z0-9._~+/=-]{8,}/gi;
// `--token abc` (space-separated flag value); the `=` form is handled with other key=value pairs.
const FLAG_VALUE = /(?<![\w-])--([A-Za-z][\w-]{0,63})([ \t]+)([^\s-]\S*)/g;
const URL_PASSWORD = /(\/\/[^\s:@/]{1,256}:)[^\s@/]{1,256}@/g;
const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g;
const JWT = /\beyJ[A-Za-z0-9_-]{8,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

/**
 * Something every pattern below needs in order to match: the words of credential-like key names (see
 * redact-keys.ts: `api_key` contains "key", `authorization` contains "auth"), Secret `data` keys, the auth
 * schemes, "@" of a URL password, the prefixes of AWS key ids and JWTs, and "key" of a private key block.
 * Text without any of them is returned as it is, without running the patterns. Case-insensitive, so a
 * superset of what the patterns need; a test checks that this never changes a result.
 */
const MAY_HOLD_SECRET = /pass|pwd|secret|token|key|certificate|credential|auth|cookie|bearer|basic|data[:"\\]|@|eyJ|AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA/i;

/**
 * Masks secret-looking values with `***REDACTED***`: Secret `data`/`stringData` values (YAML and
 * JSON), credential-named fields and flags (password, token, apiKey, client-key-data …), bearer and
 * basic credentials, URL passwords, private key blocks, AWS access key ids and JWTs.
 */
export function redact(text: string): string {
  return MAY_HOLD_SECRET.test(text) ? redactPatterns(text) : text;
}

/** `redact` without the shortcut for text that cannot match; exported for the test that checks the shortcut. */
export function redactPatterns(text: string): string {
  let out = text.replace(PRIVATE_KEY, (block, kind: string) => {
    const end = `-----END ${kind}PRIVATE KEY-----`;
    return `-----BEGIN ${kind}PRIVATE KEY-----${REDACTED}${block.endsWith(end) ? end : ""}`;
  });
  out = maskRanges(out, [...yamlSecretDataRanges(out), ...jsonSecretDataRanges(out)]);
  out = out.replace(ESCAPED_DATA, (_all, open: string, body: string) => `${open}${body.replace(ESCAPED_VALUE, `$1${REDACTED}$2`)}}`);
  out = out.replace(AUTH_SCHEME, `$1$2${REDACTED}`);
  out = maskRanges(out, sensitiveValueRanges(out));
  out = out.replace(FLAG_VALUE, (all, flag: string, gap: string, value: string) =>
    isSensitiveKey(flag) && value !== REDACTED ? `--${flag}${gap}${REDACTED}` : all,
  );
  return out
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(AWS_ACCESS_KEY, REDACTED)
    .replace(JWT, REDACTED);
}
