import { selectEvents } from "./events.js";
import { keepWithin, droppedByClass, describeCounts } from "./select.js";
import type { Candidate } from "./select.js";
import { cell, isProblemRow } from "./table.js";
import type { TableBlock } from "./table.js";
import { formatCount, MARK } from "./types.js";
import type { Omitted } from "./types.js";

export interface ListingShape {
  readonly text: string;
  readonly omitted: Omitted | null;
}

const TABLE_HINT = "narrow with -l, --field-selector or -n";

/**
 * Keeps every table's header and the rows that show trouble before the healthy ones, in kubectl's order.
 * Null when the headers alone do not fit.
 */
export function shapeTables(blocks: readonly TableBlock[], budget: number): ListingShape | null {
  const headers = blocks.reduce((n, b) => n + b.header.length + 1, 0);
  const total = blocks.reduce((n, b) => n + b.rows.length, 0);
  const worst = `${MARK}${formatCount(total)} of ${formatCount(total)} rows not shown (${formatCount(total)} healthy, ${formatCount(total)} with problems); ${TABLE_HINT}`;
  const room = budget - headers - blocks.length - worst.length - 1;
  if (room < 0) return null;
  const candidates: Candidate[] = [];
  const where: { block: number; row: number }[] = [];
  blocks.forEach((block, b) =>
    block.rows.forEach((line, r) => {
      const problem = isProblemRow(block, line);
      candidates.push({ line, index: where.length, rank: problem ? 0 : 1, cls: problem ? "with problems" : "healthy" });
      where.push({ block: b, row: r });
    }),
  );
  const kept = keepWithin(candidates, room);
  const out: string[] = [];
  blocks.forEach((block, b) => {
    const rows = where.map((w, i) => ({ ...w, i })).filter((w) => w.block === b && kept.has(w.i));
    if (rows.length === 0 && block.rows.length > 0) return;
    if (out.length > 0) out.push("");
    out.push(block.header, ...rows.map((w) => block.rows[w.row] ?? ""));
  });
  const detail = droppedByClass(candidates, kept);
  const count = total - kept.size;
  out.push(`${MARK}${formatCount(count)} of ${formatCount(total)} rows not shown (${describeCounts(detail)}); ${TABLE_HINT}`);
  return { text: out.join("\n"), omitted: { unit: "rows", count, of: total, detail } };
}

/** An events listing (one table with TYPE and LAST SEEN columns), or null when it is not one. */
export function shapeEventTable(blocks: readonly TableBlock[], budget: number): ListingShape | null {
  const [block] = blocks;
  if (blocks.length !== 1 || !block || !block.columns.some((c) => c.name === "TYPE")) return null;
  const ageColumn = block.columns.some((c) => c.name === "LAST SEEN") ? "LAST SEEN" : "AGE";
  const rows = block.rows.map((line) => ({ line, type: cell(block, line, "TYPE") ?? "", age: cell(block, line, ageColumn) ?? "" }));
  const shaped = selectEvents(rows, budget - block.header.length - 1);
  if (!shaped) return null;
  return { text: [block.header, ...shaped.lines, ...(shaped.marker ? [shaped.marker] : [])].join("\n"), omitted: shaped.omitted };
}
