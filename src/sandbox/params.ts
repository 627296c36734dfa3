import { badRequest } from "./status.js";

/**
 * A boolean query parameter as the API server's parameter codec reads it
 * (apimachinery runtime.Convert_Slice_string_To_bool): absent is false, the first value "0" or any
 * casing of "false" is false, and every other value, the empty string included, is true. So the
 * python client's `watch=True` and `previous=True` mean what they say, as `watch=1` and `watch=t` do.
 */
export function boolParam(query: URLSearchParams, name: string): boolean {
  const first = query.get(name);
  if (first === null) return false;
  return !(first === "0" || first.toLowerCase() === "false");
}

/** A non-negative integer query parameter (timeoutSeconds, tailLines, …); malformed values are a 400. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid value for ${name}: ${raw}`);
  return n;
}
