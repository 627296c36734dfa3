import { REDACTED } from "./mask.js";
import { redact, redactTyped } from "./redact.js";
import { isSecretEntryName, isSensitiveKey } from "./redact-keys.js";

function redactSecretData(value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return REDACTED;
  return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
}

/** Fields that hold what a person typed as a request, or a planner's summary that may echo it. */
const TYPED_FIELDS = new Set(["goal", "query", "prompt", "summary"]);

/** argv-style arrays: the element after `--token` / `--password` is the secret. */
function followsSecretFlag(items: readonly unknown[], i: number): boolean {
  const prev = items[i - 1];
  const flag = typeof prev === "string" ? /^--?([A-Za-z][\w-]*)$/.exec(prev) : null;
  return flag !== null && isSensitiveKey(flag[1] as string) && typeof items[i] === "string";
}

/** The name of an env-style `{name, value}` entry (env vars, headers, tags) when it looks like a credential. */
function namesSecretEntry(record: Record<string, unknown>): boolean {
  const name = typeof record.name === "string" ? record.name : record.key;
  return typeof name === "string" && "value" in record && isSecretEntryName(name);
}

/** Arrays and objects are copied only once something in them changes; unchanged parts are returned as they are. */
function walk(value: unknown, key: string | undefined, seen: WeakSet<object>): unknown {
  if (typeof value === "string") {
    if (key !== undefined && isSensitiveKey(key) && value !== "") return REDACTED;
    return key !== undefined && TYPED_FIELDS.has(key) ? redactTyped(value) : redact(value);
  }
  if (typeof value === "number" || typeof value === "bigint") return key !== undefined && isSensitiveKey(key) ? REDACTED : value;
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = followsSecretFlag(value, i) ? REDACTED : walk(item, key, seen);
      if (out === undefined && next !== item) out = value.slice(0, i);
      out?.push(next);
    }
    return out ?? value;
  }
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === "function") return walk(json.call(value), key, seen);
  const record = value as Record<string, unknown>;
  const secret = record.kind === "Secret";
  const secretEntry = namesSecretEntry(record);
  const keys = Object.keys(record);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = record[k];
    let next: unknown;
    if (secret && (k === "data" || k === "stringData")) next = redactSecretData(v);
    else if (secretEntry && k === "value" && v !== "" && v !== null) next = REDACTED;
    else next = walk(v, k, seen);
    if (out === undefined && next !== v) {
      out = {};
      for (const earlier of keys.slice(0, i)) out[earlier] = record[earlier];
    }
    if (out !== undefined) out[k] = next;
  }
  return out ?? record;
}

/**
 * A JSON-like value with secrets masked: fields named like credentials lose their value, Secret objects
 * lose their data, `{name, value}` entries named like credentials lose their value, and every other
 * string (a goal, argv, an error message, captured output) goes through `redact`. The input is never modified; the result
 * shares whatever needed no masking with it (all of it when nothing did), so treat it as read-only.
 * Redacting structure (rather than serialized text) keeps the result valid JSON.
 */
export function redactValue(value: unknown): unknown {
  return walk(value, undefined, new WeakSet());
}
