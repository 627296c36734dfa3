import { closeSync } from "node:fs";
import { appendAll, checkWritable, openAppend, stillAtPath, type LiveFile } from "./append-file.js";
import { AuditWriteError, describeError } from "./errors.js";
import { deleteExpired, rotateFiles } from "./rotate.js";

const NEWLINE = Buffer.from("\n");

interface Pending {
  /** One line, newline included. */
  line: string;
  /** Its length in bytes (UTF-8). */
  bytes: number;
  resolve: () => void;
  reject: (error: AuditWriteError) => void;
}

/** The largest batch buffer kept for reuse; a larger batch gets a buffer of its own. */
const MAX_KEPT_BUFFER = 4 * 1024 * 1024;

/**
 * Encodes batches into one buffer that is kept and reused: the write is synchronous, so the buffer is free
 * again as soon as it returns. A fresh buffer for every batch meant fresh memory, whose first touch (page
 * faults) cost more than encoding the text.
 */
class BatchEncoder {
  private buffer = Buffer.alloc(0);

  /** The batch's lines, each encoded straight into its place; valid until the next encode. */
  encode(batch: readonly Pending[]): Buffer {
    let bytes = 0;
    for (const p of batch) bytes += p.bytes;
    let buffer = this.buffer;
    if (bytes > buffer.length) {
      // Grown with room to spare, so a server's batches settle on one buffer after a few.
      buffer = Buffer.allocUnsafe(Math.max(bytes, Math.min(2 * buffer.length, MAX_KEPT_BUFFER), 16 * 1024));
      if (buffer.length <= MAX_KEPT_BUFFER) this.buffer = buffer;
    }
    let at = 0;
    for (const p of batch) at += buffer.write(p.line, at);
    return buffer.subarray(0, at);
  }
}

/**
 * The general stream (plans, reads, validations, every operation's summary): a JSONL file with group commit.
 * Lines appended during one turn of the event loop are written together, in order, by a single write() on
 * an O_APPEND descriptor, so lines never interleave (not even with another process appending to the same
 * file) and rotation by size happens only between batches. Each append resolves once its batch is in the
 * file (the page cache: it survives the process, not a power cut; mutations have their own durable stream).
 *
 * The file system calls are synchronous on purpose. A batch costs one stat and one write into the page
 * cache (microseconds); the thread-pool hand-offs of the asynchronous API cost several times that in CPU
 * and were the largest single cost of an HTTP /plan. The request log (pino) already writes synchronously
 * the same way, and like it, an audit log pointed at a pipe whose reader stalls would stall the process.
 */
export class GeneralStream {
  private readonly queue: Pending[] = [];
  private readonly encoder = new BatchEncoder();
  private scheduled: NodeJS.Immediate | undefined;
  private closed = false;
  /** The last write's failure, until a later write succeeds. */
  private lastFailure: AuditWriteError | undefined;
  /** A failed write left part of a line behind: the next write starts a new line first. */
  private torn = false;
  private file: LiveFile;
  /** The deletion of the file the last rotation let go, while it runs. */
  private deletion: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly maxBytes: number,
    private readonly retain: number,
  ) {
    this.file = openAppend(path);
  }

  /** Queues one serialized line (ending in a newline); resolves once its batch is written. */
  write(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new AuditWriteError(this.path, "the log is closed"));
    return new Promise((resolve, reject) => {
      // Encoded once per batch (flush), not once per line.
      this.queue.push({ line, bytes: Buffer.byteLength(line), resolve, reject });
      this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  assertWritable(): void {
    if (this.closed) throw new AuditWriteError(this.path, "the log is closed");
    // Queued lines first, so a failure they meet counts.
    this.flush();
    if (this.lastFailure) throw this.lastFailure;
    if (!this.file.regular) return;
    try {
      this.followPath();
      checkWritable(this.path);
    } catch (error) {
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
  }

  /** Writes what is queued and closes the file; resolves once a rotated-out file is deleted too. */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.flush();
      closeSync(this.file.fd);
    }
    return this.deletion ?? Promise.resolve();
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    while (this.queue.length > 0) {
      let batch: Pending[] = [];
      try {
        this.followPath();
        this.rotateIfFull((this.queue[0] as Pending).bytes);
        batch = this.takeBatch();
        this.append(this.encoder.encode(batch));
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

  private append(buffer: Buffer): void {
    if (this.torn) {
      appendAll(this.file, NEWLINE);
      this.torn = false;
    }
    try {
      appendAll(this.file, buffer);
    } catch (error) {
      if (((error as { bytesWritten?: number }).bytesWritten ?? 0) > 0) this.torn = true;
      throw error;
    }
  }

  /** Removes from the queue as many lines as fit in the live file (always at least one). */
  private takeBatch(): Pending[] {
    const room = this.file.regular ? this.maxBytes - this.file.size : Infinity;
    let bytes = 0;
    let count = 0;
    for (const p of this.queue) {
      if (count > 0 && bytes + p.bytes > room) break;
      bytes += p.bytes;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private rotateIfFull(nextBytes: number): void {
    if (!this.file.regular) return;
    if (this.file.size === 0 || this.file.size + nextBytes <= this.maxBytes) return;
    const expired = rotateFiles(this.path, this.retain);
    this.swapFile();
    const deletion = deleteExpired(expired).finally(() => {
      if (this.deletion === deletion) this.deletion = undefined;
    });
    this.deletion = deletion;
  }

  /** Follows the path, not the descriptor (see stillAtPath). */
  private followPath(): void {
    if (!this.file.regular || stillAtPath(this.path, this.file)) return;
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
