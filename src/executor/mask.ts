export const REDACTED = "***REDACTED***";

/** Half-open [start, end) character range of a secret to mask. */
export type Range = readonly [start: number, end: number];

/** Replaces every range with REDACTED; overlapping or touching ranges become one mask. */
export function maskRanges(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text;
  const sorted = ranges.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  let pos = 0;
  let i = 0;
  while (i < sorted.length) {
    let [start, end] = sorted[i] as Range;
    for (i++; i < sorted.length && (sorted[i] as Range)[0] <= end; i++) end = Math.max(end, (sorted[i] as Range)[1]);
    if (start < pos) start = pos;
    out.push(text.slice(pos, start), REDACTED);
    pos = end;
  }
  out.push(text.slice(pos));
  return out.join("");
}
