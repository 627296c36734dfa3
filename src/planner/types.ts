import type { Intent, Resource } from "../cards/vocabulary.js";

export type PlannerKind = "template" | "goal-parser" | "llm";

/** A planned operation. Every entry of `commands` is validated by the policy engine before anything runs. */
export interface Plan {
  readonly intent: Intent;
  readonly resource: Resource | null;
  readonly namespace: string | null;
  readonly target: string | null;
  readonly selector: string | null;
  /** The commands as one text for people; multi-step plans put one command per line. */
  readonly command: string;
  /** One command per step, run in order (never as a pipeline). */
  readonly commands: readonly string[];
  /** The argv of each step, as the planner rendered it. */
  readonly steps: readonly (readonly string[])[];
  readonly summary: string;
  readonly cardId: string | null;
  readonly planner: PlannerKind;
}
