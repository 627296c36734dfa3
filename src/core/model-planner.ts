import { join } from "node:path";
import type { CardSet } from "../cards/index.js";
import type { Intent } from "../cards/vocabulary.js";
import type { Config } from "../config/index.js";
import { normalizeGoal, PlanCache, planCacheKey } from "../planner/cache.js";
// Submodules, not the llm index: node-llama-cpp must load only when a llama-cpp model is configured.
import { LlmPlanError } from "../planner/llm/errors.js";
import { planWithLlm } from "../planner/llm/plan.js";
import type { LlmPlan } from "../planner/llm/plan-schema.js";
import { createPlanPrompter } from "../planner/llm/prompt.js";
import type { PlanPrompter } from "../planner/llm/prompt.js";
import type { LlmProvider } from "../planner/llm/types.js";
import type { Plan } from "../planner/types.js";
import { parseCommand, quoteArgv, summarizePolicy } from "../policy/index.js";
import type { Policy } from "../policy/index.js";
import type { Retriever } from "../retrieval/index.js";
import type { GoalOutcome } from "./goal.js";
import type { ModelPlanner } from "./goal-planner.js";
import { toCandidates } from "./goal-planner.js";
import type { LlmUsage } from "./response.js";

/** A plan that embeds the current time (a Flux requestedAt) must be made anew each time. */
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

interface CachedPlan {
  readonly plan: Plan;
  readonly llm: LlmUsage;
}

export interface ModelPlannerDeps {
  readonly config: Config;
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly policy: Policy;
  /** Tests and embedders may pass a provider; otherwise it is built from llm.* configuration. */
  readonly provider?: LlmProvider;
}

export function providerFromConfig(config: Config): (() => Promise<LlmProvider>) | null {
  const llm = config.llm;
  if (llm.provider === "llama-cpp" && llm.modelPath) {
    const modelPath = llm.modelPath;
    return async () => {
      const { LlamaCppProvider } = await import("../planner/llm/llama-cpp.js");
      return LlamaCppProvider.load({
        modelPath,
        prefixStateDir: join(config.retrieval.cacheDir, "llm-prefix"),
        ...(llm.threads ? { threads: llm.threads } : {}),
      });
    };
  }
  if (llm.provider === "openai" && llm.baseUrl && llm.model) {
    const options = { baseUrl: llm.baseUrl, model: llm.model, timeoutMs: llm.timeoutMs, ...(llm.apiKey ? { apiKey: llm.apiKey } : {}) };
    return async () => new (await import("../planner/llm/openai.js")).OpenAICompatibleProvider(options);
  }
  return null;
}

/** The model's reply as a plan: the command is re-parsed here; nothing the model says about it is trusted. */
function toPlan(reply: LlmPlan): Plan {
  const parsed = parseCommand(reply.command);
  const argv = parsed.ok ? [...parsed.parsed.argv] : null;
  return {
    intent: reply.intent as Intent,
    resource: null,
    namespace: reply.namespace || null,
    target: reply.target || null,
    selector: reply.selector || null,
    command: argv ? quoteArgv(argv) : reply.command,
    commands: [argv ? quoteArgv(argv) : reply.command],
    steps: argv ? [argv] : [],
    summary: reply.summary,
    cardId: null,
    planner: "llm",
  };
}

/**
 * Plans goals the deterministic parser could not, with a local or OpenAI-compatible model constrained to the
 * plan JSON schema. Plans are cached per goal, card set and model; the policy engine still decides.
 */
export interface LoadedModelPlanner extends ModelPlanner {
  /** Loads the model now instead of at the first goal (serve --preload, health readiness). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export function createModelPlanner(deps: ModelPlannerDeps, load: () => Promise<LlmProvider>): LoadedModelPlanner {
  const { config } = deps;
  const cache = new PlanCache<CachedPlan>(config.planCache.size);
  const policySummary = summarizePolicy(deps.policy);
  let prompter: PlanPrompter | null = null;
  // Built on first use: counting the catalog's tokens loads the tokenizer table (~200 ms).
  const getPrompter = () =>
    (prompter ??= createPlanPrompter({ policySummary, cards: deps.cards.cards, contextTokenBudget: config.retrieval.tokenBudget }));
  // The fixed prompt (rules, policy, card catalog) is evaluated as part of loading, not on the first goal's clock.
  const prepared = async (model: LlmProvider) => {
    try {
      await model.prepare?.(getPrompter().system);
    } catch (error) {
      await model.close();
      throw error;
    }
    return model;
  };
  let provider: Promise<LlmProvider> | null = null;
  const getProvider = () => (provider ??= deps.provider ? prepared(deps.provider) : load().then(prepared));
  return {
    async plan(goal, fallback, timer): Promise<GoalOutcome> {
      const model = await timer.timeAsync("planMs", getProvider);
      const key = planCacheKey({ request: normalizeGoal(goal), cardSetHash: deps.cards.hash, modelId: model.id });
      const cached = cache.get(key);
      if (cached) return { kind: "plan", plan: cached.plan, cache: "hit", llm: cached.llm };
      const hits = await timer.timeAsync("retrieveMs", () => deps.retriever.search(goal, { k: config.retrieval.k }));
      const prompt = timer.time("retrieveMs", () => getPrompter().build({ goal }, hits));
      try {
        const result = await timer.timeAsync("planMs", () =>
          planWithLlm(model, prompt, {
            maxTokens: config.llm.maxTokens,
            temperature: config.llm.temperature,
          }),
        );
        const plan = toPlan(result.plan);
        const llm = { model: result.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens, attempts: result.attempts };
        if (!TIMESTAMP.test(plan.command)) cache.set(key, { plan, llm });
        return { kind: "plan", plan, cache: "miss", llm };
      } catch (error) {
        if (!(error instanceof LlmPlanError)) throw error;
        return { kind: "needs_input", candidates: toCandidates(fallback), missing: fallback.missing, message: `the model gave no valid plan: ${error.message}` };
      }
    },
    async warm() {
      await getProvider();
    },
    async close() {
      if (provider) await (await provider).close();
    },
  };
}
