/**
 * All planning: structured requests from card templates, goals with the slot parser, and the model when one is
 * configured. Planning returns a value (see Planning): a card that looks values up in the cluster answers
 * needs_lookup, and the caller resumes it once with the values, after running the lookups through its gate.
 */
import type { CardSet } from "../cards/index.js";
import type { Inventory } from "../kube/index.js";
import type { Retriever } from "../retrieval/index.js";
import { planCommand } from "./command.js";
import { createGoalPlanner, fieldMismatches } from "./goal-planner.js";
import type { ModelPlanner } from "./goal-planner.js";
import { createStructuredPlanner } from "./structured.js";
import { renderPlan } from "./template.js";
import type { PendingLookup, Planning, PlanRequest, Resumed, StageClock } from "./types.js";

export type { ModelPlanner } from "./goal-planner.js";
export { createModelPlanner } from "./model-planner.js";
export type { ModelPlannerOptions } from "./model-planner.js";
export type { Ask, Candidate, FieldIssue, LlmUsage, PendingLookup, Plan, PlannerKind, Planning, PlanRequest, Resumed, StageClock } from "./types.js";

export interface PlannerDeps {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  /** Binaries that exist on this machine; cards for missing ones are skipped. */
  readonly binaries: ReadonlySet<string>;
  readonly model?: ModelPlanner;
  /** The target cluster's names and kinds (read through the gate): goals resolve unsaid kinds and misspelt names against it. */
  readonly inventory?: Inventory;
  /** Programs the policy knows, for reading a command request's namespace (default kubectl and flux). */
  readonly commandBinaries?: readonly string[];
}

export interface Planner {
  plan(request: PlanRequest, clock: StageClock): Promise<Planning>;
  /** Renders a needs_lookup card with the values looked up for it (called once per request). */
  resume(pending: PendingLookup, values: Readonly<Record<string, string>>, request: PlanRequest, clock: StageClock): Resumed;
}

export function createPlanner(deps: PlannerDeps): Planner {
  const structured = createStructuredPlanner(deps);
  const goals = createGoalPlanner(deps);
  return {
    async plan(request, clock) {
      if (request.command !== undefined || request.argv !== undefined) {
        return { kind: "plan", plan: clock.time("planMs", () => planCommand(request, deps.commandBinaries ?? ["kubectl", "flux"])) };
      }
      if (request.intent !== undefined && request.resource !== undefined) {
        return structured.plan({ ...request, intent: request.intent, resource: request.resource }, clock);
      }
      if (request.goal === undefined) return { kind: "unsupported", issues: [{ path: "intent", message: "intent and resource are required" }] };
      return goals.plan({ ...request, goal: request.goal }, clock);
    },
    resume(pending, values, request, clock) {
      return clock.time("planMs", (): Resumed => {
        const rendering = renderPlan(pending.card, pending.slots, { planner: pending.planner, resolved: values });
        if (rendering.kind === "plan") {
          const mismatches = request.goal !== undefined ? fieldMismatches(rendering.plan, request) : [];
          return mismatches.length > 0 ? { kind: "unsupported", issues: mismatches } : rendering;
        }
        if (rendering.kind === "needs_lookup") throw new Error(`card ${pending.card.id} asked for lookups again after they were made`);
        if (rendering.fromLookup) return { kind: "refused_lookup", message: `refused a value looked up from the cluster: ${rendering.message}` };
        return { kind: "unsupported", issues: rendering.issues };
      });
    },
  };
}
