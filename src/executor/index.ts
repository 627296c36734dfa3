export { createExecutor, EXECUTOR_DEFAULTS } from "./executor.js";
export {
  BinaryNotFoundError,
  ExecAbortedError,
  ExecutorError,
  ForbiddenBinaryError,
  InvalidArgvError,
  UnknownBinaryError,
} from "./errors.js";
export { findExecutable, locateExecutable } from "./resolve.js";
export { redact, REDACTED } from "./redact.js";
export { redactValue } from "./redact-value.js";
export { isSensitiveKey } from "./redact-keys.js";
export type { ExecResult, Executor, ExecutorOptions, RunOverrides } from "./types.js";
export { ApiUnsupportedError, createApiExecutor, KubeconfigError } from "./api/index.js";
export type { ApiExecutor, ApiExecutorOptions, ExecMode } from "./api/index.js";
