import { linkSync, readdirSync, readFileSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The mutation stream is a live file plus closed segments `<live>.<n>` (n = 1, 2, … oldest first). A
 * segment is never renamed once made, so a record's file name only changes once, at rollover; and pruning
 * deletes whole segments, oldest first.
 */
export interface Segment {
  readonly path: string;
  readonly number: number;
}

const MAX_LINK_TRIES = 1000;

/** The closed segments of `livePath`, oldest first. */
export function listSegments(livePath: string): Segment[] {
  const dir = dirname(livePath);
  const prefix = `${basename(livePath)}.`;
  const segments: Segment[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const tail = name.slice(prefix.length);
    if (/^[1-9]\d{0,15}$/.test(tail)) segments.push({ path: join(dir, name), number: Number(tail) });
  }
  return segments.sort((a, b) => a.number - b.number);
}

/**
 * Turns the live file into the next segment: hard-link it under the first free number, then unlink the
 * live name. link() never replaces an existing name, so two processes rolling over at once cannot
 * overwrite each other's segment, and a record is always reachable under at least one name.
 */
export function closeLiveFile(livePath: string): void {
  let next = (listSegments(livePath).at(-1)?.number ?? 0) + 1;
  for (let tries = 0; ; tries++) {
    try {
      linkSync(livePath, `${livePath}.${next}`);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return; // Another writer closed it first.
      if (code !== "EEXIST" || tries >= MAX_LINK_TRIES) throw error;
      next++;
    }
  }
  try {
    unlinkSync(livePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

export interface SegmentSummary {
  /** Intent records in the file (one per mutation). */
  readonly mutations: number;
  /** Newest record time in ms (the file's mtime when no line has a readable `ts`). */
  readonly newestMs: number;
}

/** Counts a file's mutations and finds its newest record time; malformed lines are skipped (verify reports them). */
export function summarize(path: string): SegmentSummary {
  const text = readFileSync(path, "utf8");
  let mutations = 0;
  let newestMs = -Infinity;
  for (const line of text.split("\n")) {
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (parsed === null || typeof parsed !== "object") continue;
    const { record, ts } = parsed as { record?: unknown; ts?: unknown };
    if (record === "intent") mutations++;
    const ms = typeof ts === "string" ? Date.parse(ts) : NaN;
    if (ms > newestMs) newestMs = ms;
  }
  if (newestMs === -Infinity) newestMs = statSync(path).mtimeMs;
  return { mutations, newestMs };
}

export interface Retention {
  /** Records younger than this many days are kept, however many mutations follow them. 0: age keeps nothing. */
  readonly keepDays: number;
  /** The newest this many mutations are kept, however old. 0: count keeps nothing. */
  readonly keepCount: number;
}

/**
 * The segments retention lets go: those whose newest record is older than `keepDays` AND that are
 * followed by at least `keepCount` newer mutations (segments after them plus the live file). A mutation is
 * deleted only when both age and count agree, so neither a flood of mutations nor a long quiet spell
 * removes a record the other rule still wants.
 */
export function expiredSegments(
  segments: readonly Segment[],
  summaryOf: (segment: Segment) => SegmentSummary,
  liveMutations: number,
  retention: Retention,
  nowMs: number,
): Segment[] {
  const cutoff = nowMs - retention.keepDays * 86_400_000;
  const expired: Segment[] = [];
  let newer = liveMutations;
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i] as Segment;
    const summary = summaryOf(segment);
    if (summary.newestMs < cutoff && newer >= retention.keepCount) expired.push(segment);
    newer += summary.mutations;
  }
  return expired.reverse();
}
