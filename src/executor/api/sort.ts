import { compareBytes } from "./gojson.js";

/** A resource quantity ("10m", "1Gi", "3"): kubectl compares two of them by value, which is not modelled here. */
const QUANTITY = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$/;

/**
 * Whether kubectl's comparison of this value is the one below: present, scalar, and not a string that parses
 * as a quantity. Anything else (missing fields kubectl orders first, quantities, lists) is left to kubectl.
 */
export function sortable(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "boolean") return false;
  return typeof value === "string" && !QUANTITY.test(value);
}

/**
 * kubectl's `--sort-by` comparison for the values `sortable` admits: numbers by value, strings byte-wise
 * (measured against kubectl 1.31: "web-47f8hbf" sorts before "web-4hsxjcl", so not in natural order).
 */
export function sortValueLess(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return a < b;
  return compareBytes(String(a), String(b)) < 0;
}

/** The value at a simple field path (`.lastTimestamp`, `{.metadata.name}`); undefined for other JSONPath forms. */
export function simplePath(expr: string): string[] | undefined {
  const inner = expr.startsWith("{") && expr.endsWith("}") ? expr.slice(1, -1) : expr;
  if (!/^(\.[A-Za-z0-9_-]+)+$/.test(inner)) return undefined;
  return inner.slice(1).split(".");
}

export function valueAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const part of path) {
    if (typeof cur !== "object" || cur === null || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
