import type { AuditLog, AuditRecord, IntentRecord } from "../../src/audit/index.js";
import type { ExecResult } from "../../src/executor/index.js";

/** A successful step as an executor reports it, with `stdout` as its whole output. */
export function succeeded(stdout: string): ExecResult {
  const digest = `sha256:${"0".repeat(64)}`;
  return { code: 0, signal: null, stdout, stderr: "", truncated: { stdout: false, stderr: false }, timedOut: false, durationMs: 1, stdoutBytes: stdout.length, stderrBytes: 0, stdoutDigest: digest, stderrDigest: digest };
}

/** An audit log kept in memory: the operation records and the write-ahead intents, in order. */
export class MemoryAudit implements AuditLog {
  readonly path = "memory";
  readonly mutationsPath = "memory-mutations";
  readonly records: AuditRecord[] = [];
  readonly intents: IntentRecord[] = [];
  async append(record: AuditRecord) {
    this.records.push(record);
  }
  async intent(record: IntentRecord) {
    this.intents.push(record);
  }
  async result() {}
  async assertWritable() {}
  async close() {}
}
