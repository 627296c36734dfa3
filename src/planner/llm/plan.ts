import type { z } from "zod";
import { excerpt, LlmPlanError } from "./errors.js";
import { LLM_PLAN_JSON_SCHEMA, LlmPlanSchema } from "./plan-schema.js";
import type { LlmPlan } from "./plan-schema.js";
import type { PlanPrompt } from "./prompt.js";
import type { LlmProvider } from "./types.js";

export const LLM_DEFAULTS = { maxTokens: 160, temperature: 0.2 } as const;

export interface PlanWithLlmOptions {
  readonly maxTokens?: number;
  readonly temperature?: number;
  readonly signal?: AbortSignal;
}

export interface LlmPlanResult {
  readonly plan: LlmPlan;
  /** The provider's id, for usage reports and plan-cache keys. */
  readonly model: string;
  /** 1, or 2 when the first output was invalid and the correction succeeded. */
  readonly attempts: number;
  /** Summed over attempts. */
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly durationMs: number;
  readonly cachedPrefixTokens: number;
}

type Checked = { readonly ok: true; readonly plan: LlmPlan } | { readonly ok: false; readonly reason: string };

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`).join("; ");
}

/** Servers without grammar support (json_object mode) sometimes wrap the object in a markdown fence. */
function unfence(text: string): string {
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/.exec(text.trim());
  return fenced?.[1] ?? text.trim();
}

function check(text: string, completionTokens: number, maxTokens: number): Checked {
  let value: unknown;
  try {
    value = JSON.parse(unfence(text));
  } catch (error) {
    const cut = completionTokens >= maxTokens ? ` (the output stopped at the ${maxTokens}-token limit)` : "";
    return { ok: false, reason: `not valid JSON${cut}: ${(error as Error).message}` };
  }
  const parsed = LlmPlanSchema.safeParse(value);
  return parsed.success ? { ok: true, plan: parsed.data } : { ok: false, reason: describeIssues(parsed.error) };
}

function correction(prompt: string, reason: string, output: string): string {
  return (
    `${prompt}\n\nYour previous reply was rejected: ${reason}\n` +
    `Previous reply: ${excerpt(output, 400)}\nReply again with one corrected JSON object.`
  );
}

/**
 * Asks the model for a plan and validates it. An invalid output gets one retry whose prompt quotes the
 * validation error; a second invalid output is an LlmPlanError, never a guessed command. Backend errors
 * (HTTP, timeout, missing model) propagate unchanged.
 */
export async function planWithLlm(provider: LlmProvider, prompt: PlanPrompt, options: PlanWithLlmOptions = {}): Promise<LlmPlanResult> {
  const maxTokens = options.maxTokens ?? LLM_DEFAULTS.maxTokens;
  const temperature = options.temperature ?? LLM_DEFAULTS.temperature;
  const totals = { promptTokens: 0, completionTokens: 0, durationMs: 0, cachedPrefixTokens: 0 };
  let userPrompt = prompt.prompt;
  let last = { reason: "", text: "" };
  for (let attempt = 1; attempt <= 2; attempt++) {
    const result = await provider.generate({
      system: prompt.system,
      prompt: userPrompt,
      schema: LLM_PLAN_JSON_SCHEMA,
      maxTokens,
      temperature,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    totals.promptTokens += result.promptTokens;
    totals.completionTokens += result.completionTokens;
    totals.durationMs += result.durationMs;
    totals.cachedPrefixTokens += result.cachedPrefixTokens ?? 0;
    const checked = check(result.text, result.completionTokens, maxTokens);
    if (checked.ok) return { plan: checked.plan, model: provider.id, attempts: attempt, ...totals };
    last = { reason: checked.reason, text: result.text };
    userPrompt = correction(prompt.prompt, checked.reason, result.text);
  }
  throw new LlmPlanError(2, last.reason, excerpt(last.text));
}
