import type { CardParameter } from "./schema.js";
import { isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector } from "../kube/index.js";

export type ResolvedValue = string | number | boolean;
export type Checked = { ok: true; value: ResolvedValue } | { ok: false; reason: string };

const MAX_STRING_LENGTH = 1024;
// Control characters (newlines included) and invisible format characters (zero-width, bidi overrides)
// never belong in an argv element that came from a request.
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** What a valid value for `param` looks like, in words, for error messages. */
export function describeExpected(param: CardParameter): string {
  if (param.enum) return `one of: ${param.enum.join(", ")}`;
  switch (param.type) {
    case "name":
      return "a Kubernetes object name (DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters)";
    case "namespace":
      return "a namespace name (DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters)";
    case "selector":
      return "a label selector such as app=web or tier in (api,worker),env!=dev";
    case "integer": {
      const range =
        param.min !== undefined && param.max !== undefined
          ? ` from ${param.min} to ${param.max}`
          : param.min !== undefined
            ? ` of at least ${param.min}`
            : param.max !== undefined
              ? ` of at most ${param.max}`
              : "";
      return `an integer${range}`;
    }
    case "boolean":
      return "true or false";
    case "duration":
      return "a duration such as 30s, 5m or 1h30m";
    case "string":
      return param.pattern ? `a string matching ${param.pattern}` : "a string without control characters";
  }
}

function fail(param: CardParameter, what: string): Checked {
  return { ok: false, reason: `${what}; expected ${describeExpected(param)}` };
}

function checkString(param: CardParameter, raw: string): Checked {
  if (CONTROL.test(raw)) return fail(param, "contains control or invisible characters");
  if (raw.length > MAX_STRING_LENGTH) return fail(param, `is ${raw.length} characters long`);
  switch (param.type) {
    case "name":
      if (!isDns1123Subdomain(raw)) return fail(param, "is not a valid object name");
      break;
    case "namespace":
      if (!isDns1123Label(raw)) return fail(param, "is not a valid namespace name");
      break;
    case "selector":
      if (!isLabelSelector(raw)) return fail(param, "is not a valid label selector");
      break;
    case "duration":
      if (!isDuration(raw)) return fail(param, "is not a duration");
      break;
    default:
      break;
  }
  if (param.pattern !== undefined && !new RegExp(`^(?:${param.pattern})$`).test(raw)) {
    return fail(param, `does not match ${param.pattern}`);
  }
  if (param.enum !== undefined && !param.enum.includes(raw)) return fail(param, "is not an allowed value");
  return { ok: true, value: raw };
}

function checkInteger(param: CardParameter, raw: string | number | boolean): Checked {
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d{1,15}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n)) return fail(param, "is not an integer");
  if (param.min !== undefined && n < param.min) return fail(param, `is below ${param.min}`);
  if (param.max !== undefined && n > param.max) return fail(param, `is above ${param.max}`);
  return { ok: true, value: n };
}

/** Validates one present (non-empty) value against its declared parameter and normalises its type. */
export function checkValue(param: CardParameter, raw: string | number | boolean): Checked {
  switch (param.type) {
    case "integer":
      return checkInteger(param, raw);
    case "boolean":
      if (typeof raw === "boolean") return { ok: true, value: raw };
      if (raw === "true" || raw === "false") return { ok: true, value: raw === "true" };
      return fail(param, "is not a boolean");
    default:
      if (typeof raw !== "string") return fail(param, `is a ${typeof raw}, not a string`);
      return checkString(param, raw);
  }
}
