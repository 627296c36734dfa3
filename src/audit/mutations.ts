import { randomBytes } from "node:crypto";
import { closeSync, fdatasync, unlinkSync } from "node:fs";
import { appendAll, checkWritable, endsMidLine, openAppend, stillAtPath, type LiveFile } from "./append-file.js";
import { AuditWriteError, describeError } from "./errors.js";
import { closeLiveFile, expiredSegments, listSegments, summarize, type Retention, type Segment, type SegmentSummary } from "./segments.js";

const NEWLINE = Buffer.from("\n");

interface Pending {
  /** The record serialized as a JSON object; seq and writer are put in front when it is written. */
  body: string;
  resolve: () => void;
  reject: (error: AuditWriteError) => void;
}

export interface MutationStreamSettings extends Retention {
  readonly segmentBytes: number;
}

function syncData(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
}

/**
 * The mutation stream: intents and results, each resolved only after write() and fdatasync() returned, so
 * a record a caller waited for survives a power cut, not only the process. Group commit keeps that cheap
 * under load: records that arrive while one fdatasync runs are written and synced together by the next.
 *
 * fdatasync runs on the thread pool (the write itself stays synchronous and ordered): one costs ~0.2 ms on
 * the local ext4 disk and can take tens of ms on slow or network disks, which must not stall the /plan
 * traffic sharing the event loop.
 *
 * Every line carries `writer` (random per open log) and `seq` (1, 2, … per writer, counted only for lines
 * that reached the file), so `verifyAudit` can tell a line that went missing from one never written.
 */
export class MutationStream {
  private readonly writer = randomBytes(8).toString("hex");
  private seq = 0;
  private queue: Pending[] = [];
  private draining: Promise<void> | undefined;
  private closed = false;
  private lastFailure: AuditWriteError | undefined;
  private file: LiveFile;
  /** Segment summaries by path: a closed segment is read once per process, not at every rollover. */
  private readonly summaries = new Map<string, SegmentSummary>();

  constructor(
    readonly path: string,
    private readonly settings: MutationStreamSettings,
    private readonly now: () => number,
  ) {
    this.file = openAppend(path, "a+");
    this.prune();
  }

  write(body: string): Promise<void> {
    if (this.closed) return Promise.reject(new AuditWriteError(this.path, "the log is closed"));
    const done = new Promise<void>((resolve, reject) => this.queue.push({ body, resolve, reject }));
    this.draining ??= this.drain();
    return done;
  }

  assertWritable(): void {
    if (this.closed) throw new AuditWriteError(this.path, "the log is closed");
    if (this.lastFailure) throw this.lastFailure;
    if (!this.file.regular) return;
    try {
      // Reopen only between batches: closing the descriptor under a running fdatasync would let it sync
      // whatever file reuses the number. A batch in flight reopens by itself.
      if (!stillAtPath(this.path, this.file) && this.draining === undefined) this.swapFile();
      checkWritable(this.path);
    } catch (error) {
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.draining) await this.draining;
    closeSync(this.file.fd);
  }

  /**
   * Writes batches until the queue is empty. `draining` is cleared in the same synchronous step that finds
   * the queue empty: a caller woken by the last batch (say, result() right after its intent) must start a
   * new drain, not wait for one that already ended.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.writeBatch(batch);
          this.lastFailure = undefined;
          for (const p of batch) p.resolve();
        } catch (error) {
          const failure = error instanceof AuditWriteError ? error : new AuditWriteError(this.path, describeError(error), { cause: error });
          this.lastFailure = failure;
          for (const p of batch) p.reject(failure);
        }
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async writeBatch(batch: readonly Pending[]): Promise<void> {
    const first = this.seq + 1;
    const data = Buffer.from(batch.map((p, i) => `{"seq":${first + i},"writer":"${this.writer}",${p.body.slice(1)}\n`).join(""));
    try {
      if (this.file.regular && !stillAtPath(this.path, this.file)) this.swapFile();
      this.rollOverIfFull(data.length);
      // A writer that died mid-line left a fragment: end it, so this batch starts on a line of its own.
      if (endsMidLine(this.file)) appendAll(this.file, NEWLINE);
    } catch (error) {
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
    try {
      appendAll(this.file, data);
    } catch (error) {
      // Numbers of lines that reached the file (even in part) stay used: verify then sees the torn line.
      if (((error as { bytesWritten?: number }).bytesWritten ?? 0) > 0) this.seq += batch.length;
      throw new AuditWriteError(this.path, describeError(error), { cause: error });
    }
    this.seq += batch.length;
    try {
      await syncData(this.file.fd);
    } catch (error) {
      throw new AuditWriteError(this.path, `fdatasync failed, the records may not be on disk: ${describeError(error)}`, { cause: error });
    }
  }

  /**
   * Closes a full live file into a segment. If that fails (a file system without hard links, say), the
   * records keep going to the live file: losing retention is better than refusing to audit a mutation.
   */
  private rollOverIfFull(nextBytes: number): void {
    if (!this.file.regular || this.file.size === 0 || this.file.size + nextBytes <= this.settings.segmentBytes) return;
    try {
      closeLiveFile(this.path);
    } catch {
      return;
    }
    this.swapFile();
    this.prune();
  }

  private swapFile(): void {
    const next = openAppend(this.path, "a+");
    const old = this.file.fd;
    this.file = next;
    closeSync(old);
  }

  /**
   * Deletes the segments retention lets go (see expiredSegments). Housekeeping, so best effort: a segment
   * that cannot be read counts as young and is kept, and one that cannot be deleted is tried again at the
   * next rollover; neither stops the intent that triggered it.
   */
  private prune(): void {
    if (!this.file.regular) return;
    const summaryOf = (segment: Segment): SegmentSummary => {
      let summary = this.summaries.get(segment.path);
      if (summary) return summary;
      try {
        summary = summarize(segment.path);
      } catch {
        return { mutations: 0, newestMs: Infinity };
      }
      this.summaries.set(segment.path, summary);
      return summary;
    };
    try {
      const segments = listSegments(this.path);
      if (segments.length === 0) return;
      const live = summarize(this.path).mutations;
      for (const segment of expiredSegments(segments, summaryOf, live, this.settings, this.now())) {
        unlinkSync(segment.path);
        this.summaries.delete(segment.path);
      }
    } catch {
      // Kept for the next rollover (see above).
    }
  }
}
