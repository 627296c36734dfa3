/**
 * Aligns rows the way kubectl's Go tabwriter does (minwidth 0, padding 3 for printers, 2 for rollout history,
 * spaces): every cell but the last in a row is padded to the widest cell of its column plus the padding; the last
 * cell is written as it is.
 * Widths count code points, as Go's tabwriter counts runes.
 */
export function alignColumns(rows: readonly (readonly string[])[], padding = 3): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (let i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i] ?? 0, runeCount(row[i] as string));
  }
  let out = "";
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] as string;
      out += i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - runeCount(cell) + padding);
    }
    out += "\n";
  }
  return out;
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
