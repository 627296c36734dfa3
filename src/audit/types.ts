/** A line of the general stream: every operation's summary (plans, reads, validations, executions). */
export interface AuditRecord {
  /** ISO-8601 time the operation finished. */
  ts: string;
  operationId: string;
  kind: "exec" | "plan" | "validate" | "health";
  /** The cluster it went to: {kind:"sandbox"} or {kind:"cluster", context, server}. */
  target?: unknown;
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

/**
 * Written, durably, before a mutation's first process starts or request is sent. An intent with no
 * result afterwards means the mutation may have run (the process died or lost its disk meanwhile).
 */
export interface IntentRecord {
  operationId: string;
  /** Which kind of request asked for it, e.g. "exec". */
  kind: string;
  /** A summary of the request (never the raw body); redacted before writing. */
  request: unknown;
  /** Where it runs: "sandbox", or "<context>@<server>". */
  target: string;
  /** Every step's argv exactly as it will be handed to the executor, in order. */
  argv: readonly (readonly string[])[];
  decision: string;
  risk: string;
  dryRun: boolean;
  /** How it was approved when the policy asked for confirmation: e.g. "token", "terminal", "elicitation". */
  approval?: string;
  /** Which planner made the plan (card, goal, llm). */
  planner?: string;
}

export interface StepOutcome {
  code: number | null;
  signal?: string | null;
  timedOut?: boolean;
  durationMs?: number;
  stdoutDigest?: string;
  stderrDigest?: string;
}

/** Written after the mutation finished (or could not start): closes its intent. */
export interface ResultRecord {
  operationId: string;
  /** The operation's final status, e.g. "succeeded", "failed", "dry_run", "not_started". */
  status: string;
  /** One entry per step that ran, in order. */
  steps: readonly StepOutcome[];
  error?: string;
}

export interface MutationStreamOptions {
  /** Default: the general path with `.mutations` before its extension (audit.jsonl → audit.mutations.jsonl). */
  path?: string;
  /** Records younger than this are never pruned (default 90; 0: age protects nothing). */
  keepDays?: number;
  /** The newest this many mutations are never pruned (default 10,000; 0: count protects nothing). */
  keepCount?: number;
  /** Close the live file into a numbered segment past this size (default 4 MiB); pruning works per segment. */
  segmentBytes?: number;
}

export interface AuditLogOptions {
  /** The general stream's live file; rotated copies are `<path>.1` (newest) … `<path>.<retain>`. */
  path: string;
  /** Rotate the general stream before a write would take its live file past this size. */
  maxBytes: number;
  /** Rotated general files kept; older ones are deleted. 0 keeps none. */
  retain: number;
  /** The mutation stream (intents and results): its own files, never rotated by general traffic. */
  mutations?: MutationStreamOptions;
  /** The clock for record times and retention (tests). */
  now?: () => number;
}

/**
 * Two streams. `append` goes to the general stream (cheap, group commit, size-rotated). `intent` and
 * `result` go to the mutation stream, which is fsync'd and kept by age and count of mutations, so no
 * amount of plan or read traffic can push a mutation's record out.
 *
 * The order a caller must follow for a mutation (anything not read-only, dry runs included):
 *   1. `await intent(record)`; if it rejects, do not run anything (answer with the AuditWriteError).
 *   2. run the steps;
 *   3. `await result(record)` with the same operationId, also after a failure or an exception in step 2
 *      (status "failed" / "not_started"); a rejection here is reported, the mutation already ran;
 *   4. `append(summary)` as for every other operation.
 */
export interface AuditLog {
  /** The general stream's live file. */
  readonly path: string;
  /** The mutation stream's live file. */
  readonly mutationsPath: string;
  /** General stream: resolves once the redacted record is written; rejects with AuditWriteError otherwise. */
  append(record: AuditRecord): Promise<void>;
  /** Mutation stream: resolves once the redacted intent is written and fsync'd; rejects with AuditWriteError otherwise. */
  intent(record: IntentRecord): Promise<void>;
  /** Mutation stream: resolves once the redacted result is written and fsync'd; rejects with AuditWriteError otherwise. */
  result(record: ResultRecord): Promise<void>;
  /**
   * Rejects with AuditWriteError when a write to either stream would be expected to fail: the log is
   * closed, its last write failed, a file is gone or not writable, or its disk has almost no space left.
   */
  assertWritable(): Promise<void>;
  /** Waits for pending writes, then closes both files. Later writes reject. */
  close(): Promise<void>;
}
