import type { FileHandle } from "node:fs/promises";
import { constants } from "node:fs";
import { access, mkdir, open, stat, statfs } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { redactValue } from "../executor/index.js";
import { AuditWriteError, describeError } from "./errors.js";
import { rotateFiles } from "./rotate.js";
import type { AuditLog, AuditLogOptions, AuditRecord } from "./types.js";

/** Refuse mutations when the audit disk is this close to full: their record might not fit. */
const MIN_FREE_BYTES = 64 * 1024;

interface Pending {
  data: Buffer;
  resolve: () => void;
  reject: (error: AuditWriteError) => void;
}

async function openAppend(path: string): Promise<{ fh: FileHandle; size: number; regular: boolean }> {
  const fh = await open(path, "a", 0o600);
  try {
    const info = await fh.stat();
    // Tighten a pre-existing file too; never chmod a device or pipe someone pointed us at.
    if (info.isFile() && (info.mode & 0o777) !== 0o600) await fh.chmod(0o600);
    return { fh, size: info.size, regular: info.isFile() };
  } catch (error) {
    await fh.close();
    throw error;
  }
}

/**
 * A JSONL audit log. Appends are queued and written by one flusher: each batch of whole lines goes out
 * in a single write() on an O_APPEND descriptor, so lines never interleave (not even with another
 * process appending to the same file) and rotation happens only between batches.
 */
class FileAuditLog implements AuditLog {
  private readonly queue: Pending[] = [];
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** The last write's failure, until a later write succeeds. */
  private lastFailure: AuditWriteError | undefined;

  constructor(
    readonly path: string,
    private readonly options: AuditLogOptions,
    private file: { fh: FileHandle; size: number; regular: boolean },
  ) {}

  append(record: AuditRecord): Promise<void> {
    if (this.closed) return Promise.reject(new AuditWriteError(this.path, "the log is closed"));
    let data: Buffer;
    try {
      data = Buffer.from(`${JSON.stringify(redactValue(record))}\n`);
    } catch (error) {
      return Promise.reject(new AuditWriteError(this.path, `record is not serializable: ${describeError(error)}`, { cause: error }));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ data, resolve, reject });
      this.kick();
    });
  }

  async assertWritable(): Promise<void> {
    if (this.closed) throw new AuditWriteError(this.path, "the log is closed");
    while (this.flushing) await this.flushing;
    if (this.lastFailure) throw this.lastFailure;
    if (!this.file.regular) return;
    try {
      await this.reopenIfMoved();
      await access(this.path, constants.W_OK);
      const fs = await statfs(dirname(this.path));
      if (fs.bavail * fs.bsize < MIN_FREE_BYTES) throw new Error(`less than ${MIN_FREE_BYTES} bytes free on its disk`);
    } catch (error) {
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
    await this.file.fh.close();
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.drain().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const first = this.queue[0] as Pending;
      let batch: Pending[] = [first];
      try {
        await this.rotateIfFull(first.data.length);
        batch = this.takeBatch();
        const buffer = batch.length === 1 ? first.data : Buffer.concat(batch.map((p) => p.data));
        const { bytesWritten } = await this.file.fh.write(buffer);
        this.file.size += bytesWritten;
        if (bytesWritten !== buffer.length) throw new Error(`short write: ${bytesWritten} of ${buffer.length} bytes`);
        this.lastFailure = undefined;
        for (const p of batch) p.resolve();
      } catch (error) {
        if (this.queue[0] === first) this.queue.shift();
        const failure = new AuditWriteError(this.path, describeError(error), { cause: error });
        this.lastFailure = failure;
        for (const p of batch) p.reject(failure);
      }
    }
  }

  /** Removes from the queue as many lines as fit in the live file (always at least one). */
  private takeBatch(): Pending[] {
    const room = this.file.regular ? this.options.maxBytes - this.file.size : Infinity;
    let bytes = 0;
    let count = 0;
    for (const p of this.queue) {
      if (count > 0 && bytes + p.data.length > room) break;
      bytes += p.data.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async rotateIfFull(nextBytes: number): Promise<void> {
    if (!this.file.regular) return;
    await this.reopenIfMoved();
    if (this.file.size === 0 || this.file.size + nextBytes <= this.options.maxBytes) return;
    await rotateFiles(this.path, this.options.retain);
    await this.swapFile();
  }

  /**
   * Follows the path, not the descriptor: if the file was deleted or moved away (logrotate, a person),
   * records would vanish into an unlinked inode, so open the path afresh. Also refreshes the size,
   * since another process may have appended.
   */
  private async reopenIfMoved(): Promise<void> {
    const [mine, current] = await Promise.all([this.file.fh.stat(), stat(this.path).catch(() => undefined)]);
    this.file.size = mine.size;
    if (current?.ino !== mine.ino || current.dev !== mine.dev) await this.swapFile();
  }

  private async swapFile(): Promise<void> {
    const next = await openAppend(this.path);
    const old = this.file.fh;
    this.file = next;
    await old.close();
  }
}

/** Opens (creating it and its folders, mode 0600) the audit log at `options.path`. */
export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) throw new RangeError(`maxBytes must be an integer ≥ 1, got ${options.maxBytes}`);
  if (!Number.isInteger(options.retain) || options.retain < 0) throw new RangeError(`retain must be an integer ≥ 0, got ${options.retain}`);
  const path = resolve(options.path);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return new FileAuditLog(path, options, await openAppend(path));
  } catch (error) {
    throw new AuditWriteError(path, describeError(error), { cause: error });
  }
}
