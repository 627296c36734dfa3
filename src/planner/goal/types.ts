import type { Card } from "../../cards/index.js";
import type { InventorySnapshot } from "../../kube/index.js";
import type { Plan } from "../types.js";
import type { GoalAsk } from "./ask.js";

export interface GoalCandidate {
  readonly card: Card;
  readonly missing: readonly string[];
}

/** Structured fields sent along with a goal (CLI flags, MCP/HTTP fields): they fill what the text leaves out. */
export interface GoalFields {
  readonly namespace?: string;
  readonly resource?: string;
  readonly name?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export interface ParseGoalOptions {
  /** The target cluster's inventory; without it the goal is read from its text alone. */
  readonly inventory?: InventorySnapshot;
  readonly fields?: GoalFields;
  /** Clock for generated values (the job re-run suffix). */
  readonly now?: () => Date;
  /**
   * The whole card set. "… and wait" adds the object's rollout status, whose card retrieval may not have ranked
   * (the hits answer the change, and a kind the inventory resolved was never said); default: the hits' cards.
   */
  readonly cards?: readonly Card[];
}

/** A value the pipeline must read from the cluster before the plan can be made ("scale by 50%" needs the current count). */
export interface GoalLookup {
  readonly field: "replicas";
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly change: { readonly op: "add" | "multiply"; readonly amount: number };
}

/** How sure the parser is that the catalog covers the goal: a plan with explicit intent evidence is "high". */
export type GoalConfidence = "high" | "low" | "none";

export type GoalParse =
  | {
      readonly kind: "plan";
      readonly plan: Plan;
      /** Rewrites of the goal's wording and values taken from the cluster or defaults, for the reply. */
      readonly notes?: readonly string[];
      /** The current replica count a relative scale was computed from. */
      readonly basis?: { readonly replicas: number };
      readonly confidence?: GoalConfidence;
    }
  | {
      readonly kind: "needs_input";
      readonly candidates: readonly GoalCandidate[];
      readonly missing: readonly string[];
      readonly reason: string;
      /** What to send back, machine-readable. */
      readonly ask?: GoalAsk;
      /** Set when the goal asks for something outside the catalog; `closest` names card ids rag-k8s can plan. */
      readonly unsupported?: { readonly what: string; readonly closest: readonly string[] };
      /** A value to read from the cluster and parse again with (needs_lookup). */
      readonly lookup?: GoalLookup;
      /** A name or namespace was not in the inventory: refresh it once and parse again before asking. */
      readonly inventoryMiss?: boolean;
      /** True when no inventory was given, so names and kinds were read from the text alone. */
      readonly textOnly?: boolean;
      readonly notes?: readonly string[];
      readonly confidence?: GoalConfidence;
    };
export type NeedsInput = Extract<GoalParse, { kind: "needs_input" }>;
