/** `,"key":json` of frozen values: a memoized plan, its policy verdict and the target are shared by every answer that carries them. */
const frozenFields = new WeakMap<object, { readonly key: string; readonly text: string }>();

/** `,"key":json` of values that repeat from answer to answer (short strings, booleans, null, []), by key then value. */
const constantFields = new Map<string, Map<unknown, string>>();
let constantCount = 0;
/** Strings up to this long are kept (statuses, decisions, fixed messages; not operation ids or tokens). */
const SHORT = 32;
/** A bound on what constantFields holds: a body with arbitrary keys or values must not grow it without end. */
const MAX_CONSTANTS = 1024;
/** Stands for every empty array in constantFields. */
const EMPTY_ARRAY = Symbol("[]");

/** `,"key":` by key, for the values that are new in every answer (an operation id, timings). */
const prefixes = new Map<string, string>();

function prefixOf(key: string): string {
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = `,${JSON.stringify(key)}:`;
    if (prefixes.size < MAX_CONSTANTS) prefixes.set(key, prefix);
  }
  return prefix;
}

function isConstant(value: unknown): boolean {
  return value === null || typeof value === "boolean" || (typeof value === "string" && value.length <= SHORT);
}

/** `,"key":` followed by the value's JSON, or undefined when JSON.stringify leaves the field out. */
function fieldText(key: string, value: unknown): string | undefined {
  if (value === undefined || typeof value === "function" || typeof value === "symbol") return undefined;
  const empty = Array.isArray(value) && value.length === 0 && typeof (value as { toJSON?: unknown }).toJSON !== "function";
  const constant = empty ? EMPTY_ARRAY : isConstant(value) ? value : undefined;
  if (constant !== undefined) {
    let byValue = constantFields.get(key);
    const known = byValue?.get(constant);
    if (known !== undefined) return known;
    const text = `,${JSON.stringify(key)}:${JSON.stringify(value)}`;
    if (constantCount >= MAX_CONSTANTS) {
      constantFields.clear();
      constantCount = 0;
      byValue = undefined;
    }
    if (byValue === undefined) constantFields.set(key, (byValue = new Map()));
    byValue.set(constant, text);
    constantCount++;
    return text;
  }
  if (typeof value !== "object" || value === null || !Object.isFrozen(value)) {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : prefixOf(key) + json;
  }
  const known = frozenFields.get(value);
  if (known?.key === key) return known.text;
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  const text = `,${JSON.stringify(key)}:${json}`;
  frozenFields.set(value, { key, text });
  return text;
}

/**
 * Exactly `JSON.stringify(body)` for a response body (a plain object), built field by field so that what
 * repeated answers share (frozen parts, and constants such as a status) is serialized once, not at every
 * response, and joined once into one flat string.
 */
export function responseJson(body: object): string {
  const fields = body as Record<string, unknown>;
  const keys = Object.keys(fields);
  const parts = new Array<string>(keys.length + 1);
  let count = 0;
  for (const key of keys) {
    const text = fieldText(key, fields[key]);
    if (text !== undefined) parts[count++] = text;
  }
  if (count === 0) return "{}";
  // Every piece starts with a comma; the first one opens the object instead.
  parts[0] = `{${(parts[0] as string).slice(1)}`;
  parts[count] = "}";
  parts.length = count + 1;
  return parts.join("");
}
