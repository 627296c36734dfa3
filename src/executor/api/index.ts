export { ApiUnsupportedError, createApiExecutor } from "./executor.js";
export type { ApiExecutor, ApiExecutorOptions, ExecMode } from "./executor.js";
export { KubeconfigError } from "./target.js";
