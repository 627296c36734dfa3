import { renameSync, unlinkSync } from "node:fs";

function ignoreMissing(work: () => void): void {
  try {
    work();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Shifts `path` → `path.1` → … → `path.<retain>`; whatever was at `path.<retain>` is replaced (deleted). */
export function rotateFiles(path: string, retain: number): void {
  if (retain <= 0) {
    ignoreMissing(() => unlinkSync(path));
    return;
  }
  for (let i = retain - 1; i >= 1; i--) ignoreMissing(() => renameSync(`${path}.${i}`, `${path}.${i + 1}`));
  ignoreMissing(() => renameSync(path, `${path}.1`));
}
