import { REDACTED, redact } from "../executor/index.js";
import { FIELDS, SECRET_FIELDS } from "./fields.js";
import { getPath, setPath, type Tree } from "./merge.js";
import type { Config } from "./schema.js";

function shown(path: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (SECRET_FIELDS.has(path)) return REDACTED;
  // Catches credentials embedded elsewhere, e.g. https://user:pass@host in llm.baseUrl.
  return typeof value === "string" ? redact(value) : value;
}

/** The configuration with secrets masked, as plain JSON-able data. */
export function maskConfig(config: Config): Tree {
  const out: Tree = {};
  for (const field of FIELDS) {
    const value = shown(field.path, getPath(config, field.path));
    if (value !== undefined) setPath(out, field.path, value);
  }
  return out;
}

/**
 * `rag-k8s config show`: every setting with its value and where it came from (secrets masked), or
 * with `json` an object `{config, sources}`.
 */
export function formatConfig(config: Config, sources: Record<string, string>, options: { json?: boolean } = {}): string {
  if (options.json) return JSON.stringify({ config: maskConfig(config), sources }, null, 2);
  const rows = FIELDS.map((field) => {
    const value = shown(field.path, getPath(config, field.path));
    const text = value === undefined ? "(unset)" : typeof value === "string" ? value : JSON.stringify(value);
    return [field.path, text, sources[field.path] ?? "default"] as const;
  });
  const pathWidth = Math.max(...rows.map(([p]) => p.length));
  return rows.map(([p, v, s]) => `${p.padEnd(pathWidth)} = ${v}  (${s})`).join("\n");
}
