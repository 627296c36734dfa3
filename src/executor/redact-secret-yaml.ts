import type { Range } from "./mask.js";

interface Mapping {
  kind?: string;
}

interface Line {
  start: number;
  end: number;
  /** Column where the line's key (or content) starts, after indentation and a `- ` item marker. */
  col: number;
  item: boolean;
  key?: string;
  value: string;
  /** Where `value` starts in the text. */
  valueAt: number;
}

const ENTRY = /^([A-Za-z0-9_./-]+):(?:[ \t]+(.*))?$/;

function parseLine(text: string, start: number, end: number): Line | undefined {
  let col = start;
  while (text[col] === " ") col++;
  let item = false;
  while (text[col] === "-" && text[col + 1] === " ") {
    item = true;
    col += 2;
    while (text[col] === " ") col++;
  }
  if (col >= end || text[col] === "#" || text[col] === "\r") return undefined;
  const body = text.slice(col, end).replace(/\r$/, "");
  const m = ENTRY.exec(body);
  if (!m) return { start, end, col: col - start, item, value: "", valueAt: end };
  const raw = m[2] ?? "";
  return { start, end, col: col - start, item, key: m[1] as string, value: raw.trimEnd(), valueAt: col + body.length - raw.length };
}

/**
 * Ranges of the values under `data:` / `stringData:` of YAML mappings that are Secrets. A mapping
 * whose `kind` is not visible (output cut short, or a bare data map) is treated as a Secret: when in
 * doubt, mask. One pass assigns each line to its mapping with an indentation stack; a second masks.
 */
export function yamlSecretDataRanges(text: string): Range[] {
  if (!/\b(?:data|stringData):/.test(text)) return [];
  const lines: Line[] = [];
  const owner: Mapping[] = [];
  const stack: Array<{ col: number; mapping: Mapping }> = [];
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const line = parseLine(text, start, end);
    start = end + 1;
    if (!line) continue;
    if (line.item) {
      while (stack.length > 0 && (stack.at(-1) as { col: number }).col >= line.col) stack.pop();
    } else {
      while (stack.length > 0 && (stack.at(-1) as { col: number }).col > line.col) stack.pop();
    }
    let top = stack.at(-1);
    if (!top || top.col !== line.col) {
      top = { col: line.col, mapping: {} };
      stack.push(top);
    }
    if (line.key === "kind") top.mapping.kind = line.value.replace(/^["']|["']$/g, "");
    lines.push(line);
    owner.push(top.mapping);
  }

  const ranges: Range[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const kind = (owner[i] as Mapping).kind;
    if ((line.key !== "data" && line.key !== "stringData") || line.value !== "") continue;
    if (kind !== undefined && kind !== "Secret") continue;
    let blockCol = Infinity;
    for (let j = i + 1; j < lines.length && (lines[j] as Line).col > line.col; j++) {
      const child = lines[j] as Line;
      if (child.col > blockCol) {
        ranges.push([child.start + child.col, child.end]);
        continue;
      }
      blockCol = Infinity;
      if (child.key === undefined) ranges.push([child.start + child.col, child.end]);
      else if (/^[|>]/.test(child.value)) blockCol = child.col;
      else if (child.value !== "") ranges.push([child.valueAt, child.valueAt + child.value.length]);
    }
  }
  return ranges;
}
