import type { Card, ResolverName } from "../cards/schema.js";
import type { Intent, Resource } from "../cards/vocabulary.js";
import type { Slots } from "./template.js";

/** Who planned: a card template, the goal parser, a model, or the caller itself (a command request). */
export type PlannerKind = "template" | "goal-parser" | "llm" | "command";

/** A planned operation. Every entry of `commands` is validated by the policy engine before anything runs. */
export interface Plan {
  /** The card intent; null for a command request, which names no card. */
  readonly intent: Intent | null;
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

/** One failing field of a request. */
export interface FieldIssue {
  /** Dot path of the failing field, e.g. "params.replicas"; "" for the request as a whole. */
  readonly path: string;
  readonly message: string;
}

/** A card that might fit a goal, and what it still needs. */
export interface Candidate {
  readonly cardId: string;
  readonly title: string;
  readonly intent: string;
  readonly resource: string;
  readonly missing: readonly string[];
}

export interface LlmUsage {
  readonly model: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly attempts: number;
}

/** What a planner reads from a request (the pipeline's validated request satisfies it). */
export interface PlanRequest {
  readonly intent?: Intent | undefined;
  readonly resource?: Resource | undefined;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly selector?: string | undefined;
  readonly goal?: string | undefined;
  /** A command request: one kubectl/flux command line, or the same as argv. */
  readonly command?: string | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>> | undefined;
}

/** Where a planner books its own time: retrieval it does, and planning proper. */
export interface StageClock {
  time<T>(stage: "retrieveMs" | "planMs" | "resolveMs", work: () => T): T;
  timeAsync<T>(stage: "retrieveMs" | "planMs" | "resolveMs", work: () => Promise<T>): Promise<T>;
}

/** A card whose `resolve` values must be looked up in the cluster before it can be rendered. */
export interface PendingLookup {
  readonly card: Card;
  readonly slots: Slots;
  readonly planner: PlannerKind;
  /** Parameter → resolver, as the card declares them. */
  readonly resolve: Readonly<Record<string, ResolverName>>;
}

/**
 * What planning ends in; a value, never an exception:
 * - plan: a plan to validate;
 * - needs_input: the request did not identify one operation (the caller should ask);
 * - needs_lookup: the chosen card needs values from the cluster; call `resume` with them (once);
 * - health: a question about the cluster's health as a whole (namespace null: all namespaces);
 * - unsupported: the request asks for something no card can do with these values (an input error).
 */
/** The question back to the caller: which field, the values known for it (from the cluster when one answers), and an example request. */
export interface Ask {
  readonly field: string;
  readonly candidates: readonly string[];
  readonly example: Readonly<Record<string, unknown>>;
}

export type Planning =
  | { readonly kind: "plan"; readonly plan: Plan; readonly cache?: "hit" | "miss"; readonly llm?: LlmUsage; readonly notes?: readonly string[] }
  | {
      readonly kind: "needs_input";
      readonly message: string;
      readonly missing: readonly string[];
      readonly candidates: readonly Candidate[];
      /** What to send back, machine-readable: the field, known values for it, and a ready request. */
      readonly ask?: Ask;
      /** The goal asks for something outside the catalog; `closest` names cards rag-k8s can plan instead. */
      readonly unsupported?: { readonly what: string; readonly closest: readonly string[] };
      readonly notes?: readonly string[];
    }
  | { readonly kind: "needs_lookup"; readonly pending: PendingLookup }
  /** The goal asks what is wrong in a namespace or the whole cluster: the health scan answers it, not a card. */
  | { readonly kind: "health"; readonly namespace: string | null }
  | { readonly kind: "unsupported"; readonly issues: readonly FieldIssue[] };

/** After a lookup: the plan, or why the looked-up values (or the request's) cannot be rendered. */
export type Resumed =
  | { readonly kind: "plan"; readonly plan: Plan }
  | { readonly kind: "unsupported"; readonly issues: readonly FieldIssue[] }
  /** A value the cluster returned was refused by the card's validators. */
  | { readonly kind: "refused_lookup"; readonly message: string };
