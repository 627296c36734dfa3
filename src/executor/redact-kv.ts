import { REDACTED, type Range } from "./mask.js";
import { isSecretEntryName, isSensitiveKey } from "./redact-keys.js";

// A key (optionally quoted, or JSON-escaped-quoted), then ":" or "=". Bounded key length and a
// lookbehind that only starts at word boundaries keep the scan linear.
const KEY = /(?<![A-Za-z0-9_])(\\?["']?)([A-Za-z_][A-Za-z0-9_.-]{0,63})\1[ \t]*([:=])[ \t]*/g;
const UNQUOTED_END = /[\s"',;&}\]]/g;
const KEEP = new Set(["", "true", "false", "null", "~", "Bearer", "Basic", "<none>", REDACTED]);
// How `kubectl describe` shows an env var taken from a Secret or ConfigMap: a reference, not the value.
const DESCRIBE_REFERENCE = /^<set to the key '[^'\n]*' (?:in secret|of config map) '[^'\n]*'>(?:[ \t]+Optional: (?:true|false))?$/;
const ENV_NAME = /^[A-Z][A-Z0-9_]*$/;
// `secret=prod/db-credentials` in controller logs names a Secret object; it is not the secret.
const OBJECT_REFERENCE = /^[a-z0-9](?:[-a-z0-9]{0,62})\/[a-z0-9][-.a-z0-9]{0,252}$/;

/** Credential-named keys, and environment variables named like one (`STRIPE_KEY=`, `JWT_SALT:`). */
function isSecretKey(key: string): boolean {
  return isSensitiveKey(key) || (ENV_NAME.test(key) && isSecretEntryName(key));
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf("\n", pos - 1) + 1;
}

function lineEnd(text: string, pos: number): number {
  const nl = text.indexOf("\n", pos);
  return nl < 0 ? text.length : nl;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1] as string)) end--;
  return end;
}

function indentAt(text: string, pos: number): number {
  let i = pos;
  while (text[i] === " ") i++;
  return i - pos;
}

/** Masks the lines after a YAML `key: |` that are indented deeper than the key's line; returns where it stopped. */
function blockScalar(text: string, keyPos: number, from: number, ranges: Range[]): number {
  const keyIndent = indentAt(text, lineStart(text, keyPos));
  let pos = lineEnd(text, from) + 1;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const content = pos + indentAt(text, pos);
    const blank = trimEnd(text, content, end) === content;
    if (!blank && content - pos <= keyIndent) break;
    if (!blank) ranges.push([content, trimEnd(text, content, end)]);
    pos = end + 1;
  }
  return pos;
}

/**
 * Masks the lines after `from` indented deeper than column `keyCol`: a long value that `kubectl describe`
 * continues aligned under its first line, or a YAML scalar the printer folded. Returns where it stopped.
 */
function continuationLines(text: string, keyCol: number, from: number, ranges: Range[]): number {
  let pos = lineEnd(text, from) + 1;
  while (pos < text.length) {
    const end = lineEnd(text, pos);
    const content = pos + indentAt(text, pos);
    if (trimEnd(text, content, end) === content || content - pos <= keyCol) break;
    ranges.push([content, trimEnd(text, content, end)]);
    pos = end + 1;
  }
  return pos;
}

/** Where the value starting at `p` ends (exclusive), and where its content starts. */
function valueSpan(text: string, p: number, sep: string, keyQuoted: boolean, keyPos: number): [number, number] {
  const c = text[p];
  if (c === "\\" && text[p + 1] === '"') {
    const end = text.indexOf('\\"', p + 2);
    return [p + 2, end < 0 ? lineEnd(text, p) : Math.min(end, lineEnd(text, p))];
  }
  if (c === '"') {
    let q = p + 1;
    while (q < text.length && text[q] !== '"' && text[q] !== "\n") q += text[q] === "\\" ? 2 : 1;
    return [p + 1, Math.min(q, text.length)];
  }
  if (c === "'") {
    const end = text.indexOf("'", p + 1);
    return [p + 1, end < 0 ? lineEnd(text, p) : Math.min(end, lineEnd(text, p))];
  }
  const atLineStart = /^[ \t]*(?:- )?$/.test(text.slice(lineStart(text, keyPos), keyPos));
  if (sep === ":" && !keyQuoted && atLineStart) return [p, trimEnd(text, p, lineEnd(text, p))];
  UNQUOTED_END.lastIndex = p;
  const m = UNQUOTED_END.exec(text);
  return [p, m ? m.index : text.length];
}

/** Ranges of values whose key looks like a credential: `password: x`, `"token": "x"`, `--api-key=x`. */
export function sensitiveValueRanges(text: string): Range[] {
  const ranges: Range[] = [];
  KEY.lastIndex = 0;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const [whole, quote = "", key = "", sep = ""] = m;
    const p = m.index + whole.length;
    if (!isSecretKey(key)) continue;
    const c = text[p];
    if (sep === ":" && (c === "|" || c === ">")) {
      KEY.lastIndex = blockScalar(text, m.index, p, ranges);
      continue;
    }
    if (c === undefined || c === "{" || c === "[" || c === "\n" || c === "\r") continue;
    const [start, end] = valueSpan(text, p, sep, quote !== "", m.index);
    const value = text.slice(start, end);
    const reference = DESCRIBE_REFERENCE.test(value) || (key.toLowerCase() === "secret" && OBJECT_REFERENCE.test(value));
    if (KEEP.has(value) || reference) {
      KEY.lastIndex = Math.max(end, p);
      continue;
    }
    ranges.push([start, end]);
    const wholeLine = end === trimEnd(text, start, lineEnd(text, start));
    KEY.lastIndex = wholeLine && sep === ":" ? continuationLines(text, m.index - lineStart(text, m.index), p, ranges) : Math.max(end, p);
  }
  return ranges;
}
