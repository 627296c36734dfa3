export { createExecutor, EXECUTOR_DEFAULTS } from "./executor.js";
export {
  BinaryNotFoundError,
  ExecAbortedError,
  ExecutorError,
  ForbiddenBinaryError,
  InvalidArgvError,
  UnknownBinaryError,
} from "./errors.js";
export { stripTerminalEscapes } from "./escapes.js";
export { findExecutable, locateExecutable } from "./resolve.js";
export { redact, redactTyped, REDACTED } from "./redact.js";
export { redactValue } from "./redact-value.js";
export { isSecretEntryName, isSensitiveKey } from "./redact-keys.js";
export type { ExecResult, Executor, ExecutorOptions, RunOverrides } from "./types.js";
export { detectKind, shapeOutput, MARK } from "./shape/index.js";
export type { Omitted, OutputKind, ShapeOptions, Shaped } from "./shape/index.js";
export { ApiUnsupportedError, createApiExecutor, KubeconfigError } from "./api/index.js";
export type { ApiExecutor, ApiExecutorOptions, ExecMode } from "./api/index.js";
