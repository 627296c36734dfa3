import { renameSync } from "node:fs";
import { unlink } from "node:fs/promises";

function ignoreMissing(work: () => void): void {
  try {
    work();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Where a file that rotation lets go waits for its deletion. */
function expiredPath(path: string): string {
  return `${path}.expired`;
}

/**
 * Shifts `path` → `path.1` → … → `path.<retain>`; whatever was at `path.<retain>` (or `path` itself when none
 * are retained) is moved to expiredPath(path) and returned, for deleteExpired.
 *
 * Renaming over a file deletes it, and deleting a large file that was just written frees its pages: milliseconds
 * of kernel time on the thread that asks. So nothing is renamed over a retained file; the one that goes is first
 * moved aside under a name of its own (a rename to a free name frees nothing) and deleted off the event loop.
 */
export function rotateFiles(path: string, retain: number): string {
  const expired = expiredPath(path);
  ignoreMissing(() => renameSync(retain <= 0 ? path : `${path}.${retain}`, expired));
  for (let i = retain - 1; i >= 1; i--) ignoreMissing(() => renameSync(`${path}.${i}`, `${path}.${i + 1}`));
  if (retain > 0) ignoreMissing(() => renameSync(path, `${path}.1`));
  return expired;
}

/**
 * Deletes what rotateFiles moved aside, in the thread pool. A deletion that fails (or never ran: the process
 * ended first) leaves the file under its expired name, where the next rotation replaces it; nothing is lost
 * that retention meant to keep.
 */
export function deleteExpired(expired: string): Promise<void> {
  return unlink(expired).catch(() => undefined);
}
