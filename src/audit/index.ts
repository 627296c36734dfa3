export { openAuditLog, defaultMutationsPath, MUTATION_DEFAULTS } from "./log.js";
export { verifyAudit } from "./verify.js";
export type { AuditVerification, OrphanIntent, MalformedLine, SequenceGap, UnmatchedResult } from "./verify.js";
export { AuditReadError, AuditWriteError } from "./errors.js";
export type { AuditLog, AuditLogOptions, AuditRecord, IntentRecord, MutationStreamOptions, ResultRecord, StepOutcome } from "./types.js";
