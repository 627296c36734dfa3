import type { Range } from "./mask.js";
import { isSecretEntryName } from "./redact-keys.js";

interface Frame {
  array: boolean;
  expectKey: boolean;
  key?: string;
  kind?: string;
  /** The `name`/`key` of an env-style `{"name": …, "value": …}` entry. */
  entryName?: string;
  /** Where that entry's `value` string is. */
  entryValue?: Range;
  /** String values found in this object's `data`/`stringData`/`binaryData` maps, with their keys. */
  dataValues: Array<{ key: string; range: Range }>;
  /** Set on a data map object: the object that owns it. */
  dataOf?: Frame;
}

const STRUCTURAL = /["{}[\],]/g;
const DATA_KEYS = new Set(["data", "stringData", "binaryData"]);
const ENTRY_NAME_KEYS = new Set(["name", "key", "Name", "Key"]);
const ENTRY_VALUE_KEYS = new Set(["value", "Value"]);
const MAY_MATCH = /"(?:data|stringData|binaryData|value|Value)"/;

function stringEnd(text: string, from: number): number {
  let q = from;
  while (q < text.length && text[q] !== '"' && text[q] !== "\n") q += text[q] === "\\" ? 2 : 1;
  return Math.min(q, text.length);
}

function secretRanges(frame: Frame, ranges: Range[]): void {
  if (frame.array) return;
  const secret = frame.kind === undefined || frame.kind === "Secret";
  for (const { key, range } of frame.dataValues) if (secret || isSecretEntryName(key)) ranges.push(range);
  if (frame.entryValue && frame.entryName !== undefined && isSecretEntryName(frame.entryName)) ranges.push(frame.entryValue);
}

/**
 * Ranges of secret string values in JSON: everything inside `data`/`stringData` of Secrets (or of objects
 * whose kind never shows up, e.g. output cut short), ConfigMap data entries named like credentials
 * (`DB_PASSWORD`, `tls.key`), and the `value` of env-style `{"name": "API_TOKEN", "value": …}` entries
 * (a `valueFrom` stays). A tolerant single-pass tokenizer: it works on truncated or pretty-printed JSON and
 * on JSON lines inside logs or YAML, and ignores whatever is not JSON around it.
 */
export function jsonSecretRanges(text: string): Range[] {
  if (!MAY_MATCH.test(text)) return [];
  const ranges: Range[] = [];
  const stack: Frame[] = [];
  STRUCTURAL.lastIndex = 0;
  for (let m = STRUCTURAL.exec(text); m !== null; m = STRUCTURAL.exec(text)) {
    const top = stack.at(-1);
    const c = m[0];
    if (c === '"') {
      const start = m.index + 1;
      const end = stringEnd(text, start);
      STRUCTURAL.lastIndex = end + 1;
      if (!top || top.array) continue;
      if (top.expectKey) {
        top.key = end - start <= 64 ? text.slice(start, end) : "";
        top.expectKey = false;
        continue;
      }
      const key = top.key ?? "";
      if (key === "kind") top.kind = text.slice(start, end);
      else if (top.dataOf) top.dataOf.dataValues.push({ key, range: [start, end] });
      else if (ENTRY_NAME_KEYS.has(key)) top.entryName = end - start <= 256 ? text.slice(start, end) : "";
      else if (ENTRY_VALUE_KEYS.has(key)) top.entryValue = [start, end];
    } else if (c === "{" || c === "[") {
      const frame: Frame = { array: c === "[", expectKey: c === "{", dataValues: [] };
      if (c === "{" && top && !top.array && DATA_KEYS.has(top.key ?? "")) frame.dataOf = top;
      stack.push(frame);
    } else if (c === "}" || c === "]") {
      const frame = stack.pop();
      if (frame) secretRanges(frame, ranges);
    } else if (top && !top.array) {
      top.expectKey = true;
      delete top.key;
    }
  }
  for (const frame of stack) secretRanges(frame, ranges);
  return ranges;
}
