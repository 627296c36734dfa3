export { createApprovals, CONFIRM_TOKEN_PATTERN, DEFAULT_TOKEN_TTL_MS } from "./tokens.js";
export type { ApprovalBinding, Approvals, ApprovalsOptions, IssuedToken, RedeemFailure, RedeemResult } from "./tokens.js";
export { defaultApprovalPaths } from "./paths.js";
export { ApprovalSecretError, ApprovalStoreError } from "./errors.js";
// Not an approval, but the same kind of guard (a write answered once per key), and no other module owns it yet.
export { createIdempotencyStore, IdempotencyKeySchema, requestDigest } from "./idempotency.js";
export type { IdempotencyId, IdempotencyStore, IdempotencyStoreOptions, IdempotentOutcome } from "./idempotency.js";
