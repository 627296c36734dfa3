import type { RiskLevel } from "../cards/vocabulary.js";
import { RISK_LEVELS } from "../cards/vocabulary.js";
import { validateCommand } from "../policy/index.js";
import type { Policy, Validation } from "../policy/index.js";
import type { Plan } from "../planner/index.js";
import type { Decision, Reason, ValidationSummary } from "./response.js";

const DECISION_ORDER: readonly Decision[] = ["allow", "confirm", "deny"];

function stricter<T>(order: readonly T[], a: T, b: T): T {
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}

export function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}

export interface PlanValidation {
  readonly summary: ValidationSummary;
  /** The policy engine's verdict on each step, in step order. */
  readonly steps: readonly Validation[];
}

/**
 * Validates every step of a plan with the policy engine and folds the verdicts: the strictest decision,
 * the highest risk, read-only only if every step is. A step whose parsed argv differs from what the
 * planner rendered is denied: what runs must be exactly what was validated. `namespace` is the one the
 * caller means (the request's, or the one a card rendered); never one a model claims for its own command.
 */
export function validatePlan(plan: Plan, policy: Policy, namespace: string | null): PlanValidation {
  let decision: Decision = "allow";
  let risk: RiskLevel = "none";
  let readOnly = true;
  const details: Reason[] = [];
  const suggestions: string[] = [];
  const steps: Validation[] = [];
  for (const [step, command] of plan.commands.entries()) {
    const verdict = validateCommand(command, policy, namespace ? { namespace } : {});
    const rendered = plan.steps[step];
    const mismatch = verdict.decision !== "deny" && rendered !== undefined && !sameArgv(rendered, verdict.argv);
    decision = stricter(DECISION_ORDER, decision, mismatch ? "deny" : verdict.decision);
    risk = stricter(RISK_LEVELS, risk, verdict.risk);
    readOnly &&= verdict.readOnly;
    for (const reason of verdict.reasons) details.push({ ...reason, step });
    if (mismatch) {
      details.push({ code: "PLAN_ARGV_MISMATCH", message: "the command does not parse to the planned argv", step });
    }
    for (const suggestion of verdict.suggestions) if (!suggestions.includes(suggestion)) suggestions.push(suggestion);
    steps.push(verdict);
  }
  const prefix = plan.commands.length > 1;
  return {
    steps,
    summary: {
      valid: decision !== "deny",
      decision,
      risk,
      readOnly,
      reasons: details.map((r) => (prefix && r.step !== undefined ? `step ${r.step + 1}: ${r.message}` : r.message)),
      details,
      suggestions,
      argv: steps.map((v) => v.argv),
    },
  };
}
