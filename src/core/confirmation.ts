import { createHash } from "node:crypto";
import type { Plan } from "../planner/types.js";

/** RFC 3339 instants: the "now" a reconcile annotation carries changes between calls without changing the operation. */
const INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;

/** Names exactly what would run (every step's argv as the policy engine parsed it), up to the current time. */
export function confirmTokenFor(argv: readonly (readonly string[])[]): string {
  const canonical = JSON.stringify(argv).replace(INSTANT, "<now>");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

export type Approval =
  | { readonly approved: true }
  | { readonly approved: false; readonly message: string };

/**
 * Whether the caller approved this very plan. A token pins the approval to the command the user was shown; a
 * model's plan may differ between two calls, so it is confirmed only with its token. Template and goal-parser
 * plans are deterministic, so `confirm` alone approves them (and a token, when given, must still match).
 */
export function approvalOf(constraints: { confirm: boolean; confirmToken?: string | undefined }, plan: Plan, token: string, risk: string): Approval {
  const ask = `risk ${risk}: ask the user, then call again with constraints.confirm = true and constraints.confirmToken = "${token}"`;
  if (!constraints.confirm) return { approved: false, message: ask };
  if (constraints.confirmToken !== undefined && constraints.confirmToken !== token) {
    return { approved: false, message: `the plan is not the one that was approved (its confirmToken changed); show this plan to the user. ${ask}` };
  }
  if (constraints.confirmToken === undefined && plan.planner === "llm") {
    return { approved: false, message: `a model's plan is approved only with its confirmToken, so that what runs is what the user saw. ${ask}` };
  }
  return { approved: true };
}
