import type { z } from "zod";
import type { ConfigIssue } from "./errors.js";
import { FIELDS, SECRET_FIELDS } from "./fields.js";

/** Finds where a setting came from: the layer that set it, or the nearest enclosing setting that was set. */
export type Locate = (path: string) => string | undefined;

/** Levenshtein distance: how a misspelt key or variable is matched to the closest valid one. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}

function knownKeysUnder(prefix: string): string[] {
  const depth = prefix === "" ? 0 : prefix.split(".").length;
  const keys = FIELDS.filter((f) => prefix === "" || f.path.startsWith(`${prefix}.`)).map((f) => f.path.split(".")[depth] as string);
  return [...new Set(keys)];
}

function unknownKeyMessage(prefix: string, key: string): string {
  const known = knownKeysUnder(prefix);
  const close = known.filter((k) => distance(k.toLowerCase(), key.toLowerCase()) <= 2);
  const hint = close.length > 0 ? `did you mean ${close.map((k) => `"${k}"`).join(" or ")}? ` : "";
  return `unknown setting "${key}"; ${hint}valid keys here: ${known.join(", ")}`;
}

/** Turns zod issues into issues that name the setting, where its value came from and what is allowed. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], locate: Locate, valueAt: (path: string) => unknown): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const full = path ? `${path}.${key}` : key;
        out.push({ path: full, source: locate(full) ?? "", message: unknownKeyMessage(path, key) });
      }
      continue;
    }
    const value = valueAt(path);
    const got = value === undefined || SECRET_FIELDS.has(path) ? "" : ` (got ${JSON.stringify(value)})`;
    out.push({ path, source: locate(path) ?? "", message: `${issue.message}${got}` });
  }
  return out;
}
