export { openAuditLog } from "./log.js";
export { AuditWriteError } from "./errors.js";
export type { AuditLog, AuditLogOptions, AuditRecord } from "./types.js";
