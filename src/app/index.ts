/** The composition root: the only place that builds a runtime from configuration. */
export { createRagK8s } from "./runtime.js";
export type { RagK8s, RuntimeOptions } from "./runtime.js";
export { openTarget, childEnv } from "./target.js";
export type { OpenTarget, Target, TargetKind, TargetOptions } from "./target.js";
export { loadCardSet, openRetriever, embeddingModelDir } from "./catalog.js";
export { classifyError } from "./errors.js";
export type { ClassifiedError } from "./errors.js";
