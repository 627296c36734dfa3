import { ageSeconds } from "./age.js";
import { keepWithin, droppedByClass, describeCounts } from "./select.js";
import type { Candidate } from "./select.js";
import { formatCount, MARK } from "./types.js";
import type { Omitted } from "./types.js";

export interface EventRow {
  readonly line: string;
  readonly type: string;
  readonly age: string;
}

export interface ShapedRows {
  readonly lines: readonly string[];
  readonly marker: string | null;
  readonly omitted: Omitted | null;
}

const HINT = "narrow with --field-selector type=Warning or involvedObject.name=NAME";

/**
 * Keeps the events that matter within `room` characters: Warnings first, then the rest, each newest first,
 * and prints what it kept newest first. Returns null when even the marker does not fit.
 */
export function selectEvents(rows: readonly EventRow[], room: number): ShapedRows | null {
  const total = rows.length;
  const worstMarker = marker(total, { Warning: total, Normal: total });
  const ages = rows.map((r) => ageSeconds(r.age));
  const candidates: Candidate[] = rows.map((r, index) => ({
    line: r.line,
    index,
    // Warnings outrank every other type; within a type, newer outranks older.
    rank: (r.type === "Warning" ? 0 : 1) * 1e15 + Math.min(ages[index] ?? Infinity, 1e14),
    cls: r.type === "Warning" ? "Warning" : r.type || "other",
  }));
  const fitsWhole = rows.reduce((n, r) => n + r.line.length + 1, 0) <= room;
  if (fitsWhole) return { lines: rows.map((r) => r.line), marker: null, omitted: null };
  if (worstMarker.length + 1 > room) return null;
  const kept = keepWithin(candidates, room - worstMarker.length - 1);
  const order = [...kept].sort((a, b) => (ages[a] ?? Infinity) - (ages[b] ?? Infinity) || a - b);
  const detail = droppedByClass(candidates, kept);
  const count = total - kept.size;
  return {
    lines: order.map((i) => rows[i]?.line ?? ""),
    marker: marker(total, detail, count),
    omitted: { unit: "events", count, of: total, detail },
  };
}

function marker(total: number, detail: Record<string, number>, count = total): string {
  return `${MARK}${formatCount(count)} of ${formatCount(total)} events not shown (${describeCounts(detail)}); kept Warnings first, newest first; ${HINT}`;
}
