import type { CardSet } from "../cards/index.js";
import { CardRenderError } from "../cards/render.js";
import { parseGoal } from "../planner/goal/index.js";
import type { GoalParse } from "../planner/goal/index.js";
import type { Retriever } from "../retrieval/index.js";
import type { GoalOutcome, GoalPlanner } from "./goal.js";
import type { Candidate } from "./response.js";
import type { StageTimer } from "./timer.js";

/** Plans a goal when the model-free parser cannot: the LLM path, wired in when a provider is configured. */
export interface ModelPlanner {
  plan(goal: string, fallback: Extract<GoalParse, { kind: "needs_input" }>, timer: StageTimer): Promise<GoalOutcome>;
}

export interface GoalPlannerDeps {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly binaries: ReadonlySet<string>;
  readonly model?: ModelPlanner;
}

const CANDIDATE_HITS = 6;

export function toCandidates(parse: Extract<GoalParse, { kind: "needs_input" }>): Candidate[] {
  return parse.candidates.map(({ card, missing }) => ({
    cardId: card.id,
    title: card.title,
    intent: card.intent,
    resource: card.resource,
    missing,
  }));
}

/** Goal → plan: the deterministic slot parser first (sub-millisecond), the model only when it cannot decide. */
export function createGoalPlanner(deps: GoalPlannerDeps): GoalPlanner {
  return {
    async plan(goal, timer) {
      const hits = timer.time("retrieveMs", () => deps.retriever.searchLexical(goal, { k: CANDIDATE_HITS }));
      const parsed = timer.time("planMs", (): GoalParse => {
        try {
          return parseGoal(goal, hits, deps.binaries);
        } catch (error) {
          if (!(error instanceof CardRenderError)) throw error;
          return { kind: "needs_input", candidates: [], missing: [...error.missing, ...error.invalid.map((i) => i.name)], reason: error.message };
        }
      });
      if (parsed.kind === "plan") return { kind: "plan", plan: parsed.plan };
      if (deps.model) return deps.model.plan(goal, parsed, timer);
      return { kind: "needs_input", candidates: toCandidates(parsed), missing: parsed.missing, message: parsed.reason };
    },
  };
}
