import type { Range } from "./mask.js";
import { isSecretEntryName } from "./redact-keys.js";

interface Mapping {
  kind?: string;
  /** The `name`/`key` of an env-style `{name, value}` entry. */
  entryName?: string;
  /** Index (in `lines`) of this mapping's `value:` line. */
  valueLine?: number;
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
const DATA_KEYS = new Set(["data", "stringData", "binaryData"]);
const ENTRY_NAME_KEYS = new Set(["name", "key"]);
const MAY_MATCH = /(?:data|Data|value):/;

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

function unquote(value: string): string {
  return value.replace(/^["']|["']$/g, "");
}

/** Lines in order, and the mapping each belongs to: one pass with an indentation stack. */
function parse(text: string): { lines: Line[]; owner: Mapping[] } {
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
    const mapping = top.mapping;
    if (line.key === "kind") mapping.kind = unquote(line.value);
    else if (line.key !== undefined && ENTRY_NAME_KEYS.has(line.key)) mapping.entryName = unquote(line.value);
    else if (line.key === "value") mapping.valueLine = lines.length;
    lines.push(line);
    owner.push(mapping);
  }
  return { lines, owner };
}

/**
 * Masks the value of `lines[i]` (a `key: value` line) and every following line indented deeper than its
 * key: a block scalar (`key: |`) or a long scalar the YAML printer folded. Returns the next line to look at.
 */
function maskEntry(lines: Line[], i: number, ranges: Range[]): number {
  const line = lines[i] as Line;
  if (line.value !== "" && !/^[|>][-+0-9]*$/.test(line.value)) ranges.push([line.valueAt, line.valueAt + line.value.length]);
  let j = i + 1;
  for (; j < lines.length && (lines[j] as Line).col > line.col; j++) {
    const child = lines[j] as Line;
    ranges.push([child.start + child.col, child.end]);
  }
  return j;
}

/**
 * Ranges of secret values in YAML: everything under `data:`/`stringData:` of Secrets (a mapping whose
 * `kind` is not visible, because output was cut short or the map is bare, counts as a Secret: when in
 * doubt, mask), data entries of other kinds (ConfigMaps) named like credentials, and the `value` of
 * env-style `{name, value}` entries whose name looks secret (`valueFrom` stays readable).
 */
export function yamlSecretRanges(text: string): Range[] {
  if (!MAY_MATCH.test(text)) return [];
  const { lines, owner } = parse(text);
  const ranges: Range[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const mapping = owner[i] as Mapping;
    if (line.key === "value" && mapping.valueLine === i && mapping.entryName !== undefined && isSecretEntryName(mapping.entryName)) {
      maskEntry(lines, i, ranges);
      continue;
    }
    if (line.key === undefined || !DATA_KEYS.has(line.key) || line.value !== "") continue;
    const secret = mapping.kind === undefined || mapping.kind === "Secret";
    let j = i + 1;
    while (j < lines.length && (lines[j] as Line).col > line.col) {
      const child = lines[j] as Line;
      if (child.key === undefined) {
        if (secret) ranges.push([child.start + child.col, child.end]);
        j++;
      } else if (secret || isSecretEntryName(child.key)) j = maskEntry(lines, j, ranges);
      else j++;
    }
    i = j - 1;
  }
  return ranges;
}
