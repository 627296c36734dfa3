import type { RiskLevel } from "../cards/vocabulary.js";
import type { Ask, Candidate, LlmUsage, Plan } from "../planner/index.js";
import type { Omitted, OutputKind } from "../executor/index.js";
import type { HealthReport } from "../health/index.js";
import type { Decision, Reason as PolicyReason, ReasonCode } from "../policy/index.js";

export type { Candidate, LlmUsage } from "../planner/index.js";
export type { Decision } from "../policy/index.js";

export type ExecStatus =
  /** Ran and every step exited 0. */
  | "succeeded"
  /** Ran and a step failed, timed out or could not start. */
  | "failed"
  /** Ran with --dry-run=server: the API server checked it and nothing changed. */
  | "dry_run"
  /** Planned and validated only: `plan` requests, or a dry run kubectl cannot perform for this verb. */
  | "planned"
  /** Needs the user's approval: call again with constraints.confirm = true and constraints.confirmToken. */
  | "awaiting_confirmation"
  /** Policy refused it; nothing ran. */
  | "denied"
  /** The goal did not identify one operation; see `candidates` and `missing`. */
  | "needs_input";

/** A type, not an interface: an audit record takes it as a Record<string, number> as it is. */
export type Timings = {
  retrieveMs: number;
  planMs: number;
  /** Read-only cluster lookups a card needed before it could be rendered (0 when none). */
  resolveMs: number;
  validateMs: number;
  execMs: number;
  totalMs: number;
};

/** A policy reason (or the pipeline's own argv check), with the step (0-based) of a multi-step plan it is about. */
export interface Reason extends Omit<PolicyReason, "code"> {
  readonly code: ReasonCode | "PLAN_ARGV_MISMATCH";
  readonly step?: number;
}

export interface ValidationSummary {
  readonly valid: boolean;
  readonly decision: Decision;
  readonly risk: RiskLevel;
  readonly readOnly: boolean;
  readonly reasons: readonly string[];
  readonly details: readonly Reason[];
  readonly suggestions: readonly string[];
  /** The argv of each step as the policy engine parsed it: exactly what would run. */
  readonly argv: readonly (readonly string[])[];
}

export interface StepResult {
  readonly argv: readonly string[];
  readonly code: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly truncated: { readonly stdout: boolean; readonly stderr: boolean };
  /** What shaping read stdout as (events, logs, describe, table …), and what a cut left out (null: nothing). */
  readonly stdoutKind?: OutputKind;
  readonly stdoutOmitted: Omitted | null;
  readonly stdoutDigest: string;
  readonly stderrDigest: string;
  /** What answered the step: the API server in process, or a kubectl child process. */
  readonly executor: "api" | "kubectl";
}

export interface ResultSummary {
  readonly code: number | null;
  readonly stdoutDigest: string;
  readonly stderrDigest: string;
  readonly duration: number;
  readonly truncated: boolean;
}

/** A read-only kubectl call the pipeline made to fill a card's looked-up values. */
export interface Lookup {
  readonly argv: readonly string[];
  readonly code: number | null;
  readonly timedOut: boolean;
  readonly durationMs: number;
  readonly stdoutDigest: string;
}

/** The cluster an operation went to, as every response and audit line records it. */
export type ResponseTarget =
  | { readonly kind: "sandbox" }
  | { readonly kind: "cluster"; readonly context: string; readonly server: string | null };

export interface ExecResponse {
  readonly operationId: string;
  readonly status: ExecStatus;
  readonly executed: boolean;
  readonly dryRun: boolean;
  readonly plan: Plan | null;
  readonly validation: ValidationSummary | null;
  readonly decision: Decision | null;
  readonly risk: RiskLevel | null;
  readonly result: ResultSummary | null;
  readonly steps: readonly StepResult[];
  readonly stdout: string;
  readonly stderr: string;
  readonly message: string;
  readonly cache?: "hit" | "miss";
  /** Token use when a model planned the operation. */
  readonly llm?: LlmUsage;
  readonly candidates?: readonly Candidate[];
  readonly missing?: readonly string[];
  /** With needs_input: the field to send back, the values known for it, and a ready request. */
  readonly ask?: Ask;
  /** With needs_input: the goal asks for something outside the catalog; `closest` names cards that can be planned. */
  readonly unsupported?: { readonly what: string; readonly closest: readonly string[] };
  /** How the goal was read: rewrites of its wording, values taken from the cluster or from defaults. */
  readonly notes?: readonly string[];
  /** With awaiting_confirmation: pass it back as constraints.confirmToken to approve exactly this plan. */
  readonly confirmToken?: string;
  /** With awaiting_confirmation: when confirmToken stops approving (ISO-8601); it is also used up by one run. */
  readonly expiresAt?: string;
  /** The cluster lookups made while planning, in order (only for cards that look values up). */
  readonly lookups?: readonly Lookup[];
  /** Where it ran (or would run); set by every runtime. */
  readonly target?: ResponseTarget;
  /** When the request asked about the cluster's health ("what's wrong in my cluster?"): the scan's report. */
  readonly health?: HealthReport;
  readonly timings: Timings;
}

/** A step as the HTTP and MCP faces return it: everything but its text, which the response holds once. */
export type StepSummary = Omit<StepResult, "stdout" | "stderr">;

/** An ExecResponse with each output once: in `stdout`/`stderr` (joined per step), not again in `steps`. */
export interface ExecAnswer extends Omit<ExecResponse, "steps"> {
  readonly steps: readonly StepSummary[];
}

/**
 * The response a machine reads. The top-level stdout already holds every step's output (with a `$ argv`
 * header per step when there are several), so repeating it in each step doubled what an agent is sent.
 */
export function oneCopy(response: ExecResponse): ExecAnswer {
  // Nothing ran (every plan): no step holds text, and the response is already its own answer.
  if (response.steps.length === 0) return response;
  return { ...response, steps: response.steps.map(({ stdout: _stdout, stderr: _stderr, ...step }) => step) };
}
