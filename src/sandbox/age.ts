/** Kubernetes' HumanDuration, as the AGE and LAST SEEN columns print it. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

export function since(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== "string") return "<unknown>";
  return humanDuration(now.getTime() - Date.parse(timestamp));
}

/** RFC 3339 at second precision, as metav1.Time serializes. */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90s", "5m", "2h", "3d", or a combination like "1h30m", in seconds. */
export function parseDuration(text: string): number {
  const re = /(\d+)([smhd])/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * (UNITS[m[2] as string] as number);
    consumed += m[0].length;
  }
  if (consumed !== text.length || consumed === 0) throw new Error(`sandbox: "${text}" is not a duration like 90s, 5m, 2h or 3d`);
  return total;
}
