import { AuditWriteError } from "../audit/index.js";
import type { AuditLog } from "../audit/index.js";

const NOT_RECORDED = "(eval: not recorded)";

/**
 * Eval plans many requests and runs nothing but read-only lookups; its plans are measurements, not operations
 * someone asked for, so they must not land in the user's audit log: records go nowhere. A change would need an
 * audited intent, which this log refuses, so nothing that writes can run under it.
 */
export function discardingAuditLog(): AuditLog {
  const nothing = async (): Promise<void> => {};
  return {
    path: NOT_RECORDED,
    mutationsPath: NOT_RECORDED,
    append: nothing,
    intent: () => Promise.reject(new AuditWriteError(NOT_RECORDED, "eval runs no changes")),
    result: nothing,
    assertWritable: nothing,
    close: nothing,
  };
}
