import { FieldTextCache, RecordJoiner, flat, isEmptyArray, isNumbersObject, jsonFieldPrefix, numbersJson } from "../../json-field.js";
/** `,"key":json` of frozen values: a memoized plan, its policy verdict and the target are shared by every answer that carries them. */
const frozenFields = new WeakMap<object, { readonly key: string; readonly text: string }>();

/** `,"key":json` of values that repeat from answer to answer (short strings, booleans, null, []), by key then value. */
const constantFields = new FieldTextCache(1024);
/** Strings up to this long are kept (statuses, decisions, fixed messages; not operation ids or tokens). */
const SHORT = 32;
/** Stands for every empty array in constantFields. */
const EMPTY_ARRAY = Symbol("[]");

function isConstant(value: unknown): boolean {
  return value === null || typeof value === "boolean" || (typeof value === "string" && value.length <= SHORT);
}

/** `,"key":` followed by the value's JSON, or undefined when JSON.stringify leaves the field out. */
function fieldText(key: string, value: unknown): string | undefined {
  const constant = isEmptyArray(value) ? EMPTY_ARRAY : isConstant(value) ? value : undefined;
  if (constant !== undefined) {
    const known = constantFields.get(key, constant);
    if (known !== undefined) return known;
    const text = `${jsonFieldPrefix(key)}${JSON.stringify(value)}`;
    constantFields.set(key, constant, text);
    return text;
  }
  if (typeof value !== "object" || value === null || !Object.isFrozen(value)) {
    if (typeof value === "object" && value !== null && isNumbersObject(value)) return jsonFieldPrefix(key) + numbersJson(value);
    const json = JSON.stringify(value);
    return json === undefined ? undefined : jsonFieldPrefix(key) + json;
  }
  const known = frozenFields.get(value);
  if (known?.key === key) return known.text;
  const json = JSON.stringify(value);
  if (json === undefined) return undefined;
  const text = flat(jsonFieldPrefix(key) + json);
  frozenFields.set(value, { key, text });
  return text;
}

/** Fields new in every answer: remembering runs holding them would only push out the runs that repeat. */
const UNIQUE_FIELDS = new Set(["operationId", "confirmToken", "expiresAt"]);

function repeats(key: string, value: unknown): boolean {
  if (UNIQUE_FIELDS.has(key)) return false;
  if (typeof value === "object" && value !== null) return Object.isFrozen(value) || isEmptyArray(value);
  return isConstant(value);
}

const answers = new RecordJoiner({ piece: fieldText, repeats });

/**
 * Exactly `JSON.stringify(body)` for a response body (a plain object), built field by field so that what
 * repeated answers share (frozen parts, and constants such as a status) is serialized once, not at every
 * response, and joined once into one flat string.
 */
export function responseJson(body: object): string {
  return answers.join(body as Record<string, unknown>, "");
}
