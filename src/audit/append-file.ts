import { accessSync, closeSync, constants, fchmodSync, fstatSync, openSync, readSync, statfsSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export interface LiveFile {
  fd: number;
  size: number;
  regular: boolean;
  /** Identity of the open file, to notice when the path no longer leads to it. */
  ino: number;
  dev: number;
}

/**
 * Opens `path` for appending (O_APPEND), creating it mode 0600 and tightening a looser regular file.
 * `a+` also allows reading, to look at the last byte.
 */
export function openAppend(path: string, flags: "a" | "a+" = "a"): LiveFile {
  const fd = openSync(path, flags, 0o600);
  try {
    const info = fstatSync(fd);
    // Tighten a pre-existing file too; never chmod a device or pipe someone pointed us at.
    if (info.isFile() && (info.mode & 0o777) !== 0o600) fchmodSync(fd, 0o600);
    return { fd, size: info.size, regular: info.isFile(), ino: info.ino, dev: info.dev };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Writes all of `buffer` at the end of the file, returning how many bytes went in before a failure (the
 * error then carries them as `bytesWritten`). Short writes are legal (a signal, a nearly full disk): finish
 * the lines rather than leave half of one.
 */
export function appendAll(file: LiveFile, buffer: Buffer): number {
  let written = 0;
  try {
    while (written < buffer.length) written += writeSync(file.fd, buffer, written);
  } catch (error) {
    (error as { bytesWritten?: number }).bytesWritten = written;
    throw error;
  } finally {
    file.size += written;
  }
  return written;
}

/** Refuse mutations when the audit disk is this close to full: their record might not fit. */
const MIN_FREE_BYTES = 64 * 1024;

/** Throws when a write to `path` would be expected to fail: not writable, or its disk is almost full. */
export function checkWritable(path: string): void {
  accessSync(path, constants.W_OK);
  const fs = statfsSync(dirname(path));
  if (fs.bavail * fs.bsize < MIN_FREE_BYTES) throw new Error(`less than ${MIN_FREE_BYTES} bytes free on its disk`);
}

/**
 * Whether the path still leads to the open file. False when it was deleted or moved away (logrotate, a
 * person, another writer's rotation): records would vanish into an unlinked or renamed inode. Refreshes the
 * size on the way, since another process may have appended.
 */
export function stillAtPath(path: string, file: LiveFile): boolean {
  const current = statSync(path, { throwIfNoEntry: false });
  if (current === undefined || current.ino !== file.ino || current.dev !== file.dev) return false;
  file.size = current.size;
  return true;
}

/** Whether a regular file opened with `a+` ends inside a line: a writer died mid-write (or wrote no newline). */
export function endsMidLine(file: LiveFile): boolean {
  if (!file.regular || file.size === 0) return false;
  const last = Buffer.alloc(1);
  return readSync(file.fd, last, 0, 1, file.size - 1) === 1 && last[0] !== 0x0a;
}
