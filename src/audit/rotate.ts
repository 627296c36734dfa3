import { rename, unlink } from "node:fs/promises";

async function ignoreMissing(work: Promise<void>): Promise<void> {
  try {
    await work;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

/** Shifts `path` → `path.1` → … → `path.<retain>`; whatever was at `path.<retain>` is replaced (deleted). */
export async function rotateFiles(path: string, retain: number): Promise<void> {
  if (retain <= 0) {
    await ignoreMissing(unlink(path));
    return;
  }
  for (let i = retain - 1; i >= 1; i--) await ignoreMissing(rename(`${path}.${i}`, `${path}.${i + 1}`));
  await ignoreMissing(rename(path, `${path}.1`));
}
