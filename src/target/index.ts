export { resolveTarget } from "./resolve.js";
export type { Target, TargetRequest, TargetResult } from "./resolve.js";
export { readKubeconfig } from "./kubeconfig.js";
export type { KubeconfigResult, KubeconfigSummary } from "./kubeconfig.js";
export { forgetSandbox, recordSandbox, runningSandbox, sandboxStateDir } from "./sandbox-state.js";
export type { SandboxState } from "./sandbox-state.js";
