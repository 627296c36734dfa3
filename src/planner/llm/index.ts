export type { JsonSchema, LlmProvider, LlmRequest, LlmResult } from "./types.js";
export {
  LlmError,
  ModelNotFoundError,
  ModelLoadError,
  ModelDownloadError,
  LlmContextOverflowError,
  LlmHttpError,
  LlmTimeoutError,
  LlmConnectionError,
  LlmResponseError,
  LlmPlanError,
} from "./errors.js";
export { LlmPlanSchema, LLM_PLAN_JSON_SCHEMA } from "./plan-schema.js";
export type { LlmPlan } from "./plan-schema.js";
export { buildPlanPrompt, buildSystemPrompt, buildUserPrompt, createPlanPrompter, PROMPT_DEFAULTS } from "./prompt.js";
export type { PlanPrompt, PlanPrompter, PlanPrompterOptions, PlanTask } from "./prompt.js";
export { LlamaCppProvider } from "./llama-cpp.js";
export type { LlamaCppOptions } from "./llama-cpp.js";
export { OpenAICompatibleProvider } from "./openai.js";
export type { OpenAICompatibleOptions } from "./openai.js";
export { pullModel } from "./pull.js";
export type { PullOptions, PullProgress } from "./pull.js";
export { planWithLlm, LLM_DEFAULTS } from "./plan.js";
export type { LlmPlanResult, PlanWithLlmOptions } from "./plan.js";
