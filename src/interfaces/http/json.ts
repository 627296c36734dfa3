/** JSON of frozen values: a memoized plan, its policy verdict and the target are shared by every answer that carries them. */
const frozenJson = new WeakMap<object, string>();

/** JSON.stringify of one field's value; a frozen object or array is serialized once. */
function valueJson(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || !Object.isFrozen(value)) return JSON.stringify(value);
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
  let out = "";
  for (const [key, value] of Object.entries(body)) {
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    const json = valueJson(value);
    if (json === undefined) continue;
    out += `${out === "" ? "{" : ","}${JSON.stringify(key)}:${json}`;
  }
  return out === "" ? "{}" : `${out}}`;
}
