export interface Candidate {
  readonly line: string;
  /** Position in the output as printed. */
  readonly index: number;
  /** Lower ranks are kept first. */
  readonly rank: number;
  readonly cls: string;
}

/**
 * Keeps the best-ranked lines that fit `room` characters (each line plus its newline). A line that does not
 * fit is skipped, not a stop: a shorter one ranked after it may still fit.
 */
export function keepWithin(candidates: readonly Candidate[], room: number): Set<number> {
  const kept = new Set<number>();
  let left = room;
  const order = [...candidates].sort((a, b) => a.rank - b.rank || a.index - b.index);
  for (const c of order) {
    if (c.line.length + 1 > left) continue;
    kept.add(c.index);
    left -= c.line.length + 1;
  }
  return kept;
}

/** Counts of the dropped candidates by class. */
export function droppedByClass(candidates: readonly Candidate[], kept: ReadonlySet<number>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of candidates) if (!kept.has(c.index)) counts[c.cls] = (counts[c.cls] ?? 0) + 1;
  return counts;
}

export function describeCounts(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([cls, n]) => `${n.toLocaleString("en-US")} ${cls}`)
    .join(", ");
}
