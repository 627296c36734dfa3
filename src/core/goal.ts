import type { Plan } from "../planner/types.js";
import type { Candidate, LlmUsage } from "./response.js";
import type { StageTimer } from "./timer.js";

export type GoalOutcome =
  | { readonly kind: "plan"; readonly plan: Plan; readonly cache?: "hit" | "miss"; readonly llm?: LlmUsage }
  | {
      readonly kind: "needs_input";
      readonly candidates: readonly Candidate[];
      readonly missing: readonly string[];
      readonly message: string;
    };

/** Turns a free-text goal into a plan, or says what is missing. */
export interface GoalPlanner {
  plan(goal: string, timer: StageTimer): Promise<GoalOutcome>;
}
