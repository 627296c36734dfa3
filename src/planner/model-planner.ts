import type { Card, CardSet } from "../cards/index.js";
import type { Intent } from "../cards/vocabulary.js";
import type { Inventory, InventorySnapshot } from "../kube/index.js";
import { parseCommand, quoteArgv } from "../policy/index.js";
import type { RetrievalHit, Retriever } from "../retrieval/index.js";
import { normalizeGoal, PlanCache, planCacheKey } from "./cache.js";
import { extractSlots } from "./goal/index.js";
import type { ModelPlanner } from "./goal-planner.js";
import { answerFromSteps, answerSchema, answerSteps, cardChoices, createPlanPrompter, LlmPlanError, parseAnswer, planWithLlm } from "./llm/index.js";
import type { CardAnswer, LlmPlan, LlmProvider, ParserPartial, PlanPrompter } from "./llm/index.js";
import { renderPlan } from "./template.js";
import type { LlmUsage, Plan, Planning } from "./types.js";

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

type NeedsInput = Extract<Planning, { kind: "needs_input" }>;

/** What the parser understood of a goal it could not plan: the model is told it, and its values are kept. */
export function parserPartial(goal: string, fallback: NeedsInput): ParserPartial {
  const slots = extractSlots(goal);
  const params: Record<string, string | number | boolean> = { ...slots.params };
  if (params["revision"] !== undefined && params["to_revision"] === undefined) params["to_revision"] = params["revision"];
  return {
    ...(slots.namespace !== undefined ? { namespace: slots.namespace } : {}),
    names: slots.names,
    ...(slots.selector !== undefined ? { selector: slots.selector } : {}),
    params,
    cards: fallback.candidates.map((c) => ({ id: c.cardId, missing: c.missing })),
  };
}

/** A card answer rendered through the card's template: its validators check every value again. */
export function renderAnswer(card: Card, answer: CardAnswer): ReturnType<typeof renderPlan> {
  const { namespace, name, selector, ...params } = answer.values;
  return renderPlan(card, { intent: card.intent, resource: card.resource, namespace, name, selector, params }, { planner: "llm" });
}

/** The card path's outcome: a planning, or why it gave none (then the free command is tried). */
type CardOutcome = { readonly planning: Planning; readonly llm: LlmUsage } | { readonly planning: null; readonly reason: string; readonly llm?: LlmUsage };

/**
 * Plans goals the deterministic parser could not, with a local or OpenAI-compatible model. The model first
 * chooses a card and fills that card's parameters from values known to be valid (names that exist in the
 * cluster, words of the goal, the card's enums), rendered through the card's template; only when no card fits
 * does it write a free command, which the policy engine parses like any other. Plans are cached per goal, card
 * set, model and inventory snapshot; the policy engine still decides.
 */
export function createModelPlanner(options: ModelPlannerOptions): ModelPlanner {
  const cache = new PlanCache<CachedPlan>(options.planCacheSize);
  const cardsById = new Map(options.cards.cards.map((card) => [card.id, card]));
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

  const cardPlan = async (model: LlmProvider, goal: string, hits: readonly RetrievalHit[], partial: ParserPartial, inventory: InventorySnapshot | undefined): Promise<CardOutcome> => {
    const choices = cardChoices(options.cards.cards, { goal, partial, inventory }, hits.map((h) => h.card.id));
    if (choices.length === 0) return { planning: null, reason: "no card's required values are in the goal or the cluster" };
    const prompt = getPrompter().buildCardTask(goal, hits, { partial, inventory });
    let answer: CardAnswer | null;
    let llm: LlmUsage;
    if (model.choose) {
      const result = await model.choose({ system: prompt.system, prompt: prompt.prompt, next: answerSteps(choices) });
      llm = { model: model.id, promptTokens: result.promptTokens, completionTokens: result.completionTokens, attempts: 1 };
      answer = answerFromSteps(choices, result.chosen);
    } else {
      const result = await model.generate({ system: prompt.system, prompt: prompt.prompt, schema: answerSchema(choices), maxTokens: options.maxTokens, temperature: options.temperature });
      llm = { model: model.id, promptTokens: result.promptTokens, completionTokens: result.completionTokens, attempts: 1 };
      let parsed: ReturnType<typeof parseAnswer>;
      try {
        parsed = parseAnswer(choices, JSON.parse(result.text));
      } catch {
        parsed = { ok: false, reason: "the answer is not JSON" };
      }
      if (!parsed.ok) return { planning: null, reason: `card answer refused: ${parsed.reason}`, llm };
      answer = parsed.answer;
    }
    if (answer === null) return { planning: null, reason: "the model found no card that fits", llm };
    const card = cardsById.get(answer.cardId);
    if (!card) return { planning: null, reason: `card answer refused: no card ${answer.cardId}`, llm };
    const rendering = renderAnswer(card, answer);
    if (rendering.kind === "plan") return { planning: { kind: "plan", plan: rendering.plan, llm }, llm };
    if (rendering.kind === "needs_lookup") return { planning: { kind: "needs_lookup", pending: rendering.pending }, llm };
    return { planning: null, reason: `card answer refused: ${rendering.message}`, llm };
  };

  return {
    async plan(goal, fallback, clock, inventory?: Inventory) {
      const model = await clock.timeAsync("planMs", getProvider);
      const read = inventory ? await clock.timeAsync("resolveMs", () => inventory.snapshot()) : undefined;
      const snapshot = read?.ok ? read : undefined;
      const key = planCacheKey({ request: { goal: normalizeGoal(goal), inventoryAt: snapshot?.fetchedAt ?? null }, cardSetHash: options.cards.hash, modelId: model.id });
      const cached = cache.get(key);
      if (cached) return { kind: "plan", plan: cached.plan, cache: "hit", llm: cached.llm };
      const hits = await clock.timeAsync("retrieveMs", () => options.retriever.search(goal, { k: options.k }));
      const partial = clock.time("planMs", () => parserPartial(goal, fallback));
      const byCard = await clock.timeAsync("planMs", () => cardPlan(model, goal, hits, partial, snapshot));
      if (byCard.planning !== null) {
        if (byCard.planning.kind === "plan" && !TIMESTAMP.test(byCard.planning.plan.command)) cache.set(key, { plan: byCard.planning.plan, llm: byCard.llm });
        return { ...byCard.planning, ...(byCard.planning.kind === "plan" ? { cache: "miss" as const } : {}) };
      }
      // The last resort: a free command, which the policy engine parses and judges like any other.
      const prompt = clock.time("retrieveMs", () => getPrompter().build({ goal }, hits));
      try {
        const result = await clock.timeAsync("planMs", () => planWithLlm(model, prompt, { maxTokens: options.maxTokens, temperature: options.temperature }));
        const plan = toPlan(result.plan);
        const llm = { model: result.model, promptTokens: result.promptTokens, completionTokens: result.completionTokens, attempts: result.attempts };
        if (!TIMESTAMP.test(plan.command)) cache.set(key, { plan, llm });
        return { kind: "plan", plan, cache: "miss", llm, notes: [`no card answer (${byCard.reason}); the model wrote the command`] };
      } catch (error) {
        if (!(error instanceof LlmPlanError)) throw error;
        return { ...fallback, message: `the model gave no valid plan: ${byCard.reason}; then ${error.message}` };
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
