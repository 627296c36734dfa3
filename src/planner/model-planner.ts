import type { CardSet } from "../cards/index.js";
import type { Intent } from "../cards/vocabulary.js";
import { parseCommand, quoteArgv } from "../policy/index.js";
import type { Retriever } from "../retrieval/index.js";
import { normalizeGoal, PlanCache, planCacheKey } from "./cache.js";
import type { ModelPlanner } from "./goal-planner.js";
import { createPlanPrompter, LlmPlanError, planWithLlm } from "./llm/index.js";
import type { LlmPlan, LlmProvider, PlanPrompter } from "./llm/index.js";
import type { LlmUsage, Plan } from "./types.js";

/** A plan that embeds the current time (a Flux requestedAt) must be made anew each time. */
const TIMESTAMP = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

interface CachedPlan {
  readonly plan: Plan;
  readonly llm: LlmUsage;
}

export interface ModelPlannerOptions {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  /** What the policy allows, in words the model follows (policy's summarizePolicy). */
  readonly policySummary: string;
  /** Loads the provider (first goal, or warm()). */
  readonly load: () => Promise<LlmProvider>;
  readonly planCacheSize: number;
  /** Cards retrieved for the prompt, and the token budget of their rendered context. */
  readonly k: number;
  readonly tokenBudget: number;
  readonly maxTokens: number;
  readonly temperature: number;
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
export function createModelPlanner(options: ModelPlannerOptions): ModelPlanner {
  const cache = new PlanCache<CachedPlan>(options.planCacheSize);
  let prompter: PlanPrompter | null = null;
  // Built on first use: counting the catalog's tokens loads the tokenizer table (~200 ms).
  const getPrompter = () =>
    (prompter ??= createPlanPrompter({ policySummary: options.policySummary, cards: options.cards.cards, contextTokenBudget: options.tokenBudget }));
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
  const getProvider = () => (provider ??= options.load().then(prepared));
  return {
    async plan(goal, fallback, clock) {
      const model = await clock.timeAsync("planMs", getProvider);
      const key = planCacheKey({ request: normalizeGoal(goal), cardSetHash: options.cards.hash, modelId: model.id });
      const cached = cache.get(key);
      if (cached) return { kind: "plan", plan: cached.plan, cache: "hit", llm: cached.llm };
      const hits = await clock.timeAsync("retrieveMs", () => options.retriever.search(goal, { k: options.k }));
      const prompt = clock.time("retrieveMs", () => getPrompter().build({ goal }, hits));
      try {
        const result = await clock.timeAsync("planMs", () => planWithLlm(model, prompt, { maxTokens: options.maxTokens, temperature: options.temperature }));
        const plan = toPlan(result.plan);
        const llm = { model: result.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens, attempts: result.attempts };
        if (!TIMESTAMP.test(plan.command)) cache.set(key, { plan, llm });
        return { kind: "plan", plan, cache: "miss", llm };
      } catch (error) {
        if (!(error instanceof LlmPlanError)) throw error;
        return { ...fallback, message: `the model gave no valid plan: ${error.message}` };
      }
    },
    async warm() {
      await getProvider();
    },
    async close() {
      // A model that failed to load has nothing to close (its failure was reported when it was awaited).
      if (provider) await (await provider.catch(() => null))?.close();
    },
  };
}
