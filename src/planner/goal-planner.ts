import type { CardSet } from "../cards/index.js";
import type { Inventory } from "../kube/index.js";
import { CardRenderError } from "../cards/render.js";
import type { Intent, Resource } from "../cards/vocabulary.js";
import { extractSlots, parseGoal, parseGoalWithInventory, retrievalText } from "./goal/index.js";
import { healthQuestion } from "./health-goal.js";
import type { GoalParse, GoalSlots } from "./goal/index.js";
import type { Retriever } from "../retrieval/index.js";
import { LookupRequired, fieldPath, renderFailure } from "./template.js";
import type { Candidate, FieldIssue, Plan, Planning, PlanRequest, StageClock } from "./types.js";

/** Plans a goal when the model-free parser cannot: the LLM path, present when a model is configured. */
export interface ModelPlanner {
  /** `inventory`: the target's names, so the model chooses among objects that exist. */
  plan(goal: string, fallback: Extract<Planning, { kind: "needs_input" }>, clock: StageClock, inventory?: Inventory): Promise<Planning>;
  /** Loads the model now instead of at the first goal (serve --preload, health readiness). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

export interface GoalPlannerDeps {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly binaries: ReadonlySet<string>;
  readonly model?: ModelPlanner;
  readonly inventory?: Inventory;
}

const CANDIDATE_HITS = 6;

/**
 * Parameters the slot grammar reads as flags, so that a structured field sent beside a goal reaches the
 * parser through the same validated grammar as the goal's own words. Values were checked by the request
 * schema (names, durations, integers), so none can add an argument.
 */
const PARAM_FLAGS: Readonly<Record<string, (value: string | number | boolean) => string | null>> = {
  replicas: (v) => `--replicas=${v}`,
  tail: (v) => `--tail=${v}`,
  since: (v) => (/^\d{1,4}[smh]$/.test(String(v)) ? `--since=${v}` : null),
  timeout: (v) => `--timeout=${v}`,
  revision: (v) => `--to-revision=${v}`,
  to_revision: (v) => `--to-revision=${v}`,
  container: (v) => `-c ${v}`,
  previous: (v) => (v === true ? "--previous" : null),
};

type GoalRequest = PlanRequest & { readonly goal: string };

function toCandidates(parse: Extract<GoalParse, { kind: "needs_input" }>): Candidate[] {
  return parse.candidates.map(({ card, missing }) => ({ cardId: card.id, title: card.title, intent: card.intent, resource: card.resource, missing }));
}

/** Whether the request sends any structured field beside its goal. */
function hasFields(request: GoalRequest): boolean {
  return [request.intent, request.resource, request.namespace, request.name, request.selector].some((v) => v !== undefined) || Object.keys(request.params ?? {}).length > 0;
}

/** Fields beside the goal that contradict what the goal itself says: never silently one or the other. */
function conflicts(request: GoalRequest, said: GoalSlots): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const differ = (path: string, field: unknown, goal: unknown) => {
    if (field !== undefined && goal !== undefined && String(field) !== String(goal)) {
      issues.push({ path, message: `the goal says "${String(goal)}" but the field says "${String(field)}"; send one of them` });
    }
  };
  differ("namespace", request.namespace, said.namespace);
  differ("selector", request.selector, said.selector);
  // Only a name written next to a kind ("deployment web") is surely a name; a loose word may be filler, and a
  // different name field beside it makes the parser ask which one is meant.
  differ("name", request.name, said.anchoredNames.length === 1 ? said.anchoredNames[0] : undefined);
  for (const [key, value] of Object.entries(request.params ?? {})) {
    differ(`params.${key}`, value, said.params[key] ?? (key === "to_revision" ? said.params["revision"] : undefined));
  }
  return issues;
}

/** The goal with the fields it does not state itself, written in the slot grammar; or the fields it cannot take. */
function goalWithFields(request: GoalRequest, said: GoalSlots): { text: string } | { issues: FieldIssue[] } {
  const words: string[] = [];
  const issues: FieldIssue[] = [];
  if (request.intent !== undefined) words.push(request.intent);
  if (request.namespace !== undefined && said.namespace === undefined) words.push(`-n ${request.namespace}`);
  if (request.selector !== undefined && said.selector === undefined) {
    if (/\s/.test(request.selector)) issues.push({ path: "selector", message: "a set-based selector cannot be sent beside a goal; send intent and resource instead" });
    else words.push(`-l ${request.selector}`);
  }
  if (request.name !== undefined && !said.names.includes(request.name)) words.push(request.resource ? `${request.resource}/${request.name}` : request.name);
  else if (request.resource !== undefined) words.push(request.resource);
  for (const [key, value] of Object.entries(request.params ?? {})) {
    if (value === undefined || said.params[key] !== undefined || (key === "to_revision" && said.params["revision"] !== undefined)) continue;
    const flag = PARAM_FLAGS[key]?.(value) ?? null;
    if (flag === null) issues.push({ path: fieldPath(key), message: "cannot be sent beside a goal; send intent and resource with it instead" });
    else words.push(flag);
  }
  return issues.length > 0 ? { issues } : { text: [request.goal, ...words].join(" ") };
}

/** A plan that does not target what the request's fields name is refused, whatever planned it. */
export function fieldMismatches(plan: Plan, request: PlanRequest): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (path: string, field: string | undefined, planned: string | null) => {
    if (field !== undefined && field !== planned) {
      issues.push({ path, message: `the goal was planned as "${plan.command}", which does not target ${path} ${field}` });
    }
  };
  // A model's plan is checked against the request's namespace by the policy engine, from its command; its own claim proves nothing.
  if (plan.planner !== "llm") check("namespace", request.namespace, plan.namespace);
  check("name", request.name, plan.target);
  check("selector", request.selector, plan.selector);
  if (request.resource !== undefined && plan.resource !== null && plan.resource !== request.resource) check("resource", request.resource, plan.resource);
  if (request.intent !== undefined && plan.intent !== request.intent) check("intent", request.intent, plan.intent);
  return issues;
}

/** A health question ("what's wrong in my cluster?") with at most a namespace beside it: the health scan answers it. */
function healthPlanning(request: GoalRequest): Planning | null {
  const asked = healthQuestion(request.goal);
  if (!asked || [request.intent, request.resource, request.name, request.selector].some((v) => v !== undefined)) return null;
  if (request.namespace !== undefined && asked.namespace !== null && asked.namespace !== request.namespace) {
    return { kind: "unsupported", issues: [{ path: "namespace", message: `the goal says "${asked.namespace}" but the field says "${request.namespace}"; send one of them` }] };
  }
  return { kind: "health", namespace: request.namespace ?? asked.namespace };
}

/**
 * Goal → plan: the deterministic slot parser first (sub-millisecond), the model only when it cannot decide.
 * Fields sent beside the goal (namespace, name, selector, resource, intent, params) are honoured: one that
 * contradicts the goal is an input error, one the goal leaves out is added to it, and the plan must target them.
 */
export function createGoalPlanner(deps: GoalPlannerDeps) {
  return {
    async plan(request: GoalRequest, clock: StageClock): Promise<Planning> {
      const health = healthPlanning(request);
      if (health) return health;
      let goal = request.goal;
      if (hasFields(request)) {
        const said = extractSlots(request.goal);
        const contradictions = conflicts(request, said);
        if (contradictions.length > 0) return { kind: "unsupported", issues: contradictions };
        const combined = goalWithFields(request, said);
        if ("issues" in combined) return { kind: "unsupported", issues: combined.issues };
        goal = combined.text;
      }
      const filter = { ...(request.intent ? { intent: request.intent as Intent } : {}), ...(request.resource ? { resource: request.resource as Resource } : {}) };
      // Cards are ranked on the goal as the parser reads it: labels, emoji and chat framing carry no query terms.
      const hits = clock.time("retrieveMs", () => deps.retriever.searchLexical(retrievalText(goal), { k: CANDIDATE_HITS, ...filter }));
      // The inventory read (at most one per target per TTL) is cluster time, not planning time.
      const inventory = deps.inventory;
      const withCluster = inventory ? await clock.timeAsync("resolveMs", () => parseGoalWithInventory(goal, hits, deps.binaries, inventory, { cards: deps.cards.cards }).then((p) => ({ ok: true as const, p }), (error: unknown) => ({ ok: false as const, error }))) : undefined;
      const parsed = clock.time("planMs", (): Planning => {
        try {
          if (withCluster && !withCluster.ok) throw withCluster.error;
          const parse = withCluster?.ok ? withCluster.p : parseGoal(goal, hits, deps.binaries, { cards: deps.cards.cards });
          if (parse.kind === "plan") return { kind: "plan", plan: parse.plan, ...(parse.notes?.length ? { notes: parse.notes } : {}) };
          return {
            kind: "needs_input",
            candidates: toCandidates(parse),
            missing: parse.missing,
            message: parse.reason,
            ...(parse.ask ? { ask: parse.ask } : {}),
            ...(parse.unsupported ? { unsupported: parse.unsupported } : {}),
            ...(parse.notes?.length ? { notes: parse.notes } : {}),
          };
        } catch (error) {
          // The parser renders the card it chose through planFromCard, whose two signals are turned into values here.
          if (error instanceof LookupRequired) return { kind: "needs_lookup", pending: error.pending };
          if (!(error instanceof CardRenderError)) throw error;
          const failure = renderFailure(error);
          return { kind: "needs_input", candidates: [], missing: failure.missing, message: failure.message };
        }
      });
      const outcome = parsed.kind === "needs_input" && deps.model ? await deps.model.plan(goal, parsed, clock, deps.inventory) : parsed;
      if (outcome.kind !== "plan") return outcome;
      const mismatches = fieldMismatches(outcome.plan, request);
      return mismatches.length > 0 ? { kind: "unsupported", issues: mismatches } : outcome;
    },
  };
}
