const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, y: 31_536_000 };

/**
 * Seconds in one of kubectl's human ages ("45m", "2d3h", "3m12s", "5m (x4 over 10m)"): the leading
 * duration only. Anything else ("<unknown>", "<invalid>", blank) reads as infinitely old.
 */
export function ageSeconds(text: string): number {
  const match = /^\s*((?:\d+[smhdy])+)/.exec(text);
  if (!match?.[1]) return Number.POSITIVE_INFINITY;
  let seconds = 0;
  for (const [, n, unit] of match[1].matchAll(/(\d+)([smhdy])/g)) seconds += Number(n) * (UNIT_SECONDS[unit ?? "s"] ?? 1);
  return seconds;
}
