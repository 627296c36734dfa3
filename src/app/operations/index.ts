/** Every operation rag-k8s offers, defined once; the CLI, HTTP and MCP faces register these. */
export { execOperation, planOperation, ExecResponseSchema } from "./exec.js";
export { readOperation } from "./read.js";
export type { ReadAnswer } from "./read.js";
export { retrieveOperation, hitSummary, RetrieveInputSchema, RetrieveOutputSchema } from "./retrieve.js";
export type { HitSummary, RetrieveInput, RetrieveOutput } from "./retrieve.js";
export { healthOperation, HealthInputSchema } from "./health.js";
export type { HealthInput } from "./health.js";
export { validateOperation, ValidateInputSchema, ValidateOutputSchema } from "./validate.js";
export type { ValidateOutput } from "./validate.js";
export { defineOperation } from "./types.js";
export type { ModelView, Operation, OperationAnnotations, OperationContext } from "./types.js";
