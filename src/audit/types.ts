export interface AuditRecord {
  /** ISO-8601 time the operation finished. */
  ts: string;
  operationId: string;
  kind: "exec" | "plan" | "validate";
  /** A summary of the request (never the raw body). */
  request: unknown;
  plan?: unknown;
  decision?: string;
  risk?: string;
  argv?: string[];
  /** Read-only cluster lookups made while planning (e.g. a workload's newest ready pod), as command lines. */
  lookups?: string[];
  status: string;
  exitCode?: number | null;
  durationMs?: number;
  /** sha256 of the full command output; the output itself is not logged. */
  stdoutDigest?: string;
  stderrDigest?: string;
  timings?: Record<string, number>;
  error?: string;
}

export interface AuditLogOptions {
  /** The live file; rotated copies are `<path>.1` (newest) … `<path>.<retain>`. */
  path: string;
  /** Rotate before a write would take the live file past this size. */
  maxBytes: number;
  /** Rotated files kept; older ones are deleted. 0 keeps none. */
  retain: number;
}

export interface AuditLog {
  readonly path: string;
  /** Resolves once the redacted record is written; rejects with AuditWriteError otherwise. */
  append(record: AuditRecord): Promise<void>;
  /**
   * Rejects with AuditWriteError when an append would be expected to fail: the log is closed, its
   * last write failed, the file is gone or not writable, or its disk has almost no space left.
   * Called before a mutation, which must not run unaudited.
   */
  assertWritable(): Promise<void>;
  /** Waits for pending appends, then closes the file. Later appends reject. */
  close(): Promise<void>;
}
