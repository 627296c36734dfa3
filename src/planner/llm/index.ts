/**
 * The model-independent LLM planning surface. Nothing here loads node-llama-cpp: the native provider and the
 * GGUF downloader are in ./native.ts, imported only when a llama-cpp model is configured or pulled.
 */
export type { ChoiceRequest, ChoiceResult, ChoiceStepSpec, JsonSchema, LlmProvider, LlmRequest, LlmResult } from "./types.js";
export { answerFromSteps, answerSchema, answerSteps, cardChoices, formatAnswer, NO_CARD, parseAnswer } from "./card-choice.js";
export type { CardAnswer, CardChoice, ChoiceContext, ParamChoice, ParserPartial } from "./card-choice.js";
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
export type { CardTaskContext, PlanPrompt, PlanPrompter, PlanPrompterOptions, PlanTask } from "./prompt.js";
export { OpenAICompatibleProvider } from "./openai.js";
export type { OpenAICompatibleOptions } from "./openai.js";
export { planWithLlm, LLM_DEFAULTS } from "./plan.js";
export type { LlmPlanResult, PlanWithLlmOptions } from "./plan.js";
