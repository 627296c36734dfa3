import type { Plan } from "../planner/index.js";
import { deepFreeze } from "./errors.js";
import type { ExecRequest } from "./request.js";
import type { PlanValidation } from "./validate-plan.js";

/** A plan and its policy verdict, frozen: every response and audit line that carries them shares these objects. */
export interface Memoized {
  readonly plan: Plan;
  readonly validation: PlanValidation;
  /** The audit log's request summaries for this request, by constraints (see summaryKey). */
  readonly summaries: Map<string, Readonly<Record<string, unknown>>>;
}

/** What planning a request gave, as far as memoizing it goes. */
export interface Fresh {
  readonly plan: Plan | null;
  readonly cache?: unknown;
  readonly llm?: unknown;
  readonly notes?: unknown;
  readonly lookups?: unknown;
}

/** An RFC 3339 time in a command: the card rendered `{{now}}` (or the request named a time): not reusable. */
const TIMESTAMP = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

/**
 * Plans and policy verdicts of structured and command requests seen before. For those, planning reads only
 * the request, the card set and the binaries found at start, and policy validation only the plan, the
 * namespace and the policy: all fixed for a pipeline's life, so the same request always plans and validates
 * the same way. Not kept: goals (they read the cluster's inventory of names), plans a model made, plans
 * that needed cluster lookups or carry notes, and plans whose commands hold a timestamp (`{{now}}`).
 * Bounded, least recently used first out.
 */
export class PlanMemo {
  private readonly entries = new Map<string, Memoized>();
  /** Keys of frozen (shared, already validated) requests: a body sent again is not serialized again. */
  private readonly keys = new WeakMap<ExecRequest, string>();

  constructor(private readonly maxEntries = 512) {}

  /** The key a request is memoized under (constraints aside: they decide what happens to a plan, not the plan), or null. */
  keyOf(request: ExecRequest): string | null {
    if (request.goal !== undefined) return null;
    const known = this.keys.get(request);
    if (known !== undefined) return known;
    const { constraints: _constraints, ...rest } = request;
    const key = JSON.stringify(rest);
    if (Object.isFrozen(request)) this.keys.set(request, key);
    return key;
  }

  get(key: string): Memoized | undefined {
    const found = this.entries.get(key);
    if (found === undefined) return undefined;
    // Recency matters only once something has to be evicted: until the memo is full, a hit moves nothing.
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(key);
      this.entries.set(key, found);
    }
    return found;
  }

  /** Keeps a fresh planning's plan and verdict when they are reusable (see the class comment); returns what to use. */
  remember(key: string, planned: Fresh, validation: PlanValidation): Memoized | undefined {
    const { plan } = planned;
    if (plan === null || planned.llm !== undefined || planned.cache !== undefined || planned.notes !== undefined || planned.lookups !== undefined) return undefined;
    if (plan.planner !== "template" && plan.planner !== "command") return undefined;
    if (plan.commands.some((command) => TIMESTAMP.test(command))) return undefined;
    const entry: Memoized = { plan: deepFreeze(plan), validation: deepFreeze(validation), summaries: new Map() };
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }
}

/** The constraints as a request summary records them (a token only as sent or not). */
export function summaryKey(constraints: ExecRequest["constraints"]): string {
  return `${constraints.dryRun ? 1 : 0}${constraints.confirm ? 1 : 0}${constraints.confirmToken !== undefined ? 1 : 0}`;
}
