import type { Range } from "./mask.js";

interface Frame {
  array: boolean;
  expectKey: boolean;
  key?: string;
  kind?: string;
  /** String values found in this object's `data`/`stringData` maps, masked if it turns out to be a Secret. */
  dataValues: Range[];
  /** Set on a `data`/`stringData` object: the object that owns it. */
  dataOf?: Frame;
}

const STRUCTURAL = /["{}[\],]/g;

function stringEnd(text: string, from: number): number {
  let q = from;
  while (q < text.length && text[q] !== '"' && text[q] !== "\n") q += text[q] === "\\" ? 2 : 1;
  return Math.min(q, text.length);
}

/**
 * Ranges of the string values inside `"data": {…}` / `"stringData": {…}` of JSON objects that are
 * Secrets (or whose kind never shows up, e.g. output cut short). A tolerant single-pass tokenizer:
 * it works on truncated or pretty-printed JSON and ignores whatever is not JSON around it.
 */
export function jsonSecretDataRanges(text: string): Range[] {
  if (!/"(?:data|stringData)"/.test(text)) return [];
  const ranges: Range[] = [];
  const stack: Frame[] = [];
  const close = (frame: Frame): void => {
    if (!frame.array && (frame.kind === undefined || frame.kind === "Secret")) ranges.push(...frame.dataValues);
  };
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
      } else if (top.key === "kind") top.kind = text.slice(start, end);
      else if (top.dataOf) top.dataOf.dataValues.push([start, end]);
    } else if (c === "{" || c === "[") {
      const frame: Frame = { array: c === "[", expectKey: c === "{", dataValues: [] };
      if (c === "{" && top && !top.array && (top.key === "data" || top.key === "stringData")) frame.dataOf = top;
      stack.push(frame);
    } else if (c === "}" || c === "]") {
      const frame = stack.pop();
      if (frame) close(frame);
    } else if (top && !top.array) {
      top.expectKey = true;
      delete top.key;
    }
  }
  for (const frame of stack) close(frame);
  return ranges;
}
