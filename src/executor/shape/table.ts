export interface Column {
  readonly name: string;
  readonly start: number;
}

export interface TableBlock {
  readonly header: string;
  readonly columns: readonly Column[];
  readonly rows: readonly string[];
}

/**
 * kubectl's tables are tab-aligned: every cell of a column starts where its header does. Header names may
 * hold one space ("LAST SEEN", "NOMINATED NODE"), columns are at least two spaces apart.
 */
export function parseHeader(line: string): Column[] | null {
  if (!/^[A-Z]/.test(line) || line.length > 2000) return null;
  const columns: Column[] = [];
  for (const match of line.matchAll(/\S+(?: \S+)*/g)) columns.push({ name: match[0], start: match.index });
  if (columns.length < 2) return null;
  if (!columns.every((c) => /^[A-Z][A-Z0-9_.\-%/]*(?:\([A-Za-z]+\))?%?(?: [A-Z][A-Z0-9_-]*)?$/.test(c.name))) return null;
  return columns;
}

/** Splits a listing into tables (one per resource type with `get a,b`), or null when it is not tables. */
export function parseTables(text: string): TableBlock[] | null {
  const lines = text.replace(/\n$/, "").split("\n");
  const blocks: TableBlock[] = [];
  let current: { header: string; columns: Column[]; rows: string[] } | null = null;
  for (const line of lines) {
    if (line.trim() === "") {
      if (current) blocks.push(current);
      current = null;
      continue;
    }
    if (!current) {
      const columns = parseHeader(line);
      if (!columns) return null;
      current = { header: line, columns, rows: [] };
      continue;
    }
    current.rows.push(line);
  }
  if (current) blocks.push(current);
  return blocks.length > 0 ? blocks : null;
}

export function cell(block: TableBlock, row: string, name: string): string | undefined {
  const index = block.columns.findIndex((c) => c.name === name);
  const column = block.columns[index];
  if (!column) return undefined;
  const next = block.columns[index + 1];
  return row.slice(column.start, next ? next.start : undefined).trim();
}

const HEALTHY_STATUS = new Set(["Running", "Completed", "Succeeded", "Ready", "Bound", "Active", "Complete", "Available", "Healthy", "True"]);

function fraction(value: string | undefined): [number, number] | null {
  const match = value === undefined ? null : /^(\d+)\/(\d+)$/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

function int(value: string | undefined): number | null {
  const match = value === undefined ? null : /^(\d+)/.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * Whether a row shows trouble: not all ready, restarts, a phase or status other than a healthy one,
 * fewer ready or available than desired (daemonsets), not Ready / suspended (Flux), NotReady or cordoned nodes.
 */
export function isProblemRow(block: TableBlock, row: string): boolean {
  const ready = cell(block, row, "READY");
  const readyFraction = fraction(ready);
  if (readyFraction && readyFraction[0] < readyFraction[1]) return true;
  if (ready === "False" || ready === "Unknown") return true;
  const restarts = int(cell(block, row, "RESTARTS"));
  if (restarts !== null && restarts > 0) return true;
  const desired = int(cell(block, row, "DESIRED"));
  if (desired !== null) {
    for (const name of ["READY", "AVAILABLE", "CURRENT"]) {
      const n = int(cell(block, row, name));
      if (n !== null && n < desired) return true;
    }
  }
  for (const name of ["SUSPENDED", "SUSPEND"]) if (cell(block, row, name) === "True") return true;
  // With a True/False READY column (Flux), STATUS is a free-text message, not a phase.
  if (readyFraction || ready === undefined) {
    const status = cell(block, row, "STATUS");
    if (status !== undefined && status !== "" && !HEALTHY_STATUS.has(status)) return true;
  }
  return false;
}
