/** JSON of frozen values: a memoized plan, its policy verdict and the target are shared by every answer that carries them. */
const frozenJson = new WeakMap<object, string>();

/** `,"key":` by key, and `{"key":` for the field that opens a body: the field names of answers are few and repeat. */
const fieldPrefixes = new Map<string, string>();
const openingPrefixes = new Map<string, string>();
/** Field names seen at most (a body with arbitrary keys must not grow the caches without bound). */
const MAX_PREFIXES = 256;

function prefixOf(key: string, first: boolean): string {
  const cache = first ? openingPrefixes : fieldPrefixes;
  let prefix = cache.get(key);
  if (prefix === undefined) {
    prefix = `${first ? "{" : ","}${JSON.stringify(key)}:`;
    if (cache.size < MAX_PREFIXES) cache.set(key, prefix);
  }
  return prefix;
}

/** JSON.stringify of one field's value; a frozen object or array is serialized once. */
function valueJson(value: unknown): string | undefined {
  if (value === null) return "null";
  if (value === true) return "true";
  if (value === false) return "false";
  if (typeof value !== "object" || !Object.isFrozen(value)) return JSON.stringify(value);
  let json = frozenJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    frozenJson.set(value, json);
  }
  return json;
}

/**
 * Exactly `JSON.stringify(body)` for a response body (a plain object), built field by field so that the
 * frozen parts repeated answers share are serialized once instead of at every response.
 */
export function responseJson(body: object): string {
  const fields = body as Record<string, unknown>;
  const keys = Object.keys(fields);
  // Sized once and joined once: the answer comes out as one flat string, not a chain of concatenations.
  const parts = new Array<string>(keys.length * 2 + 1);
  let count = 0;
  for (const key of keys) {
    const value = fields[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    const json = valueJson(value);
    if (json === undefined) continue;
    parts[count] = prefixOf(key, count === 0);
    parts[count + 1] = json;
    count += 2;
  }
  if (count === 0) return "{}";
  parts[count] = "}";
  parts.length = count + 1;
  return parts.join("");
}
