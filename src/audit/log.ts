import { accessSync, closeSync, constants, fchmodSync, fstatSync, openSync, statfsSync, statSync, writeSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { redactValue } from "../executor/index.js";
import { AuditWriteError, describeError } from "./errors.js";
import { rotateFiles } from "./rotate.js";
import type { AuditLog, AuditLogOptions, AuditRecord } from "./types.js";

/** Refuse mutations when the audit disk is this close to full: their record might not fit. */
const MIN_FREE_BYTES = 64 * 1024;
const NEWLINE = Buffer.from("\n");

interface Pending {
  data: Buffer;
  resolve: () => void;
  reject: (error: AuditWriteError) => void;
}

interface LiveFile {
  fd: number;
  size: number;
  regular: boolean;
  /** Identity of the open file, to notice when the path no longer leads to it. */
  ino: number;
  dev: number;
}

function openAppend(path: string): LiveFile {
  const fd = openSync(path, "a", 0o600);
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
 * A JSONL audit log with group commit: lines appended during one turn of the event loop are written
 * together, in order, by a single write() on an O_APPEND descriptor, so lines never interleave (not even
 * with another process appending to the same file) and rotation happens only between batches. Each
 * append resolves once its batch is in the file.
 *
 * The file system calls are synchronous on purpose. A batch costs one stat and one write into the page
 * cache (microseconds); the thread-pool hand-offs of the asynchronous API cost several times that in CPU
 * and were the largest single cost of an HTTP /plan. The request log (pino) already writes synchronously
 * the same way, and like it, an audit log pointed at a pipe whose reader stalls would stall the process.
 */
class FileAuditLog implements AuditLog {
  private readonly queue: Pending[] = [];
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  /** The last write's failure, until a later write succeeds. */
  private lastFailure: AuditWriteError | undefined;
  /** A failed write left part of a line behind: the next write starts a new line first. */
  private torn = false;

  constructor(
    readonly path: string,
    private readonly options: AuditLogOptions,
    private file: LiveFile,
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
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  async assertWritable(): Promise<void> {
    if (this.closed) throw new AuditWriteError(this.path, "the log is closed");
    // Queued lines first, so a failure they meet counts.
    this.flush();
    if (this.lastFailure) throw this.lastFailure;
    if (!this.file.regular) return;
    try {
      this.followPath();
      accessSync(this.path, constants.W_OK);
      const fs = statfsSync(dirname(this.path));
      if (fs.bavail * fs.bsize < MIN_FREE_BYTES) throw new Error(`less than ${MIN_FREE_BYTES} bytes free on its disk`);
    } catch (error) {
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    closeSync(this.file.fd);
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      let batch: Pending[] = [];
      try {
        this.followPath();
        this.rotateIfFull((this.queue[0] as Pending).data.length);
        batch = this.takeBatch();
        this.write(batch.length === 1 ? (batch[0] as Pending).data : Buffer.concat(batch.map((p) => p.data)));
        this.lastFailure = undefined;
        for (const p of batch) p.resolve();
      } catch (error) {
        // Failing before a batch was formed charges the failure to the oldest line; the rest get their own try.
        if (batch.length === 0) batch = this.queue.splice(0, 1);
        const failure = new AuditWriteError(this.path, describeError(error), { cause: error });
        this.lastFailure = failure;
        for (const p of batch) p.reject(failure);
      }
    }
  }

  private write(buffer: Buffer): void {
    if (this.torn) {
      this.writeAll(NEWLINE);
      this.torn = false;
    }
    let written = 0;
    try {
      // Short writes are legal (a signal, a nearly full disk): finish the lines rather than leave half of one.
      while (written < buffer.length) written += writeSync(this.file.fd, buffer, written);
    } finally {
      this.file.size += written;
      if (written > 0 && written < buffer.length) this.torn = true;
    }
  }

  private writeAll(buffer: Buffer): void {
    let written = 0;
    while (written < buffer.length) written += writeSync(this.file.fd, buffer, written);
    this.file.size += written;
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

  private rotateIfFull(nextBytes: number): void {
    if (!this.file.regular) return;
    if (this.file.size === 0 || this.file.size + nextBytes <= this.options.maxBytes) return;
    rotateFiles(this.path, this.options.retain);
    this.swapFile();
  }

  /**
   * Follows the path, not the descriptor: if the file was deleted or moved away (logrotate, a person),
   * records would vanish into an unlinked inode, so open the path afresh. Also refreshes the size,
   * since another process may have appended.
   */
  private followPath(): void {
    if (!this.file.regular) return;
    const current = statSync(this.path, { throwIfNoEntry: false });
    if (current !== undefined && current.ino === this.file.ino && current.dev === this.file.dev) {
      this.file.size = current.size;
      return;
    }
    this.swapFile();
  }

  private swapFile(): void {
    const next = openAppend(this.path);
    const old = this.file.fd;
    this.file = next;
    this.torn = false;
    closeSync(old);
  }
}

/** Opens (creating it and its folders, mode 0600) the audit log at `options.path`. */
export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  if (!Number.isInteger(options.maxBytes) || options.maxBytes < 1) throw new RangeError(`maxBytes must be an integer ≥ 1, got ${options.maxBytes}`);
  if (!Number.isInteger(options.retain) || options.retain < 0) throw new RangeError(`retain must be an integer ≥ 0, got ${options.retain}`);
  const path = resolve(options.path);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return new FileAuditLog(path, options, openAppend(path));
  } catch (error) {
    throw new AuditWriteError(path, describeError(error), { cause: error });
  }
}
