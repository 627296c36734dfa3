import { randomUUID } from "node:crypto";
import type { ApprovalBinding, Approvals } from "../approval/index.js";
import type { AuditLog, AuditRecord } from "../audit/index.js";
import type { PendingLookup, Plan, Planner } from "../planner/index.js";
import type { Policy } from "../policy/index.js";
import { checkApproval } from "./confirmation.js";
import type { ApprovalLabel, ApprovedBy } from "./confirmation.js";
import { RequestValidationError, deepFreeze, parseWith } from "./errors.js";
import type { Gate, OutputOptions } from "./gate.js";
import { renderHealth } from "../health/index.js";
import type { HealthReport } from "../health/index.js";
import type { HealthScan } from "./health-scan.js";
import { PlanMemo, summaryKey } from "./plan-memo.js";
import type { Memoized } from "./plan-memo.js";
import { ExecRequestSchema, requestKind } from "./request.js";
import type { ExecRequest } from "./request.js";
import { ResolveError, resolveCardValues } from "./resolve/index.js";
import type { Decision, ExecResponse, ExecStatus, LlmUsage, Lookup, ResponseTarget, ResultSummary, StepResult } from "./response.js";
import { StageTimer } from "./timer.js";
import { validatePlan } from "./validate-plan.js";
import type { PlanValidation } from "./validate-plan.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface PipelineDeps {
  readonly planner: Planner;
  readonly policy: Policy;
  /** Everything that runs (plan steps and lookups) goes through the gate. */
  readonly gate: Gate;
  readonly audit: AuditLog;
  /** Issues and redeems the confirmTokens of awaiting_confirmation answers. */
  readonly approvals: Approvals;
  /** Where commands go, as approvals are bound to it: "sandbox" or "<context>@<kubeconfig>". */
  readonly targetId: string;
  /** Only a person (terminal prompt, MCP elicitation) approves; a token alone does not (default false). */
  readonly requireHuman?: boolean;
  /**
   * Whether a cluster is configured (default true). Cards that look values up from the cluster (`resolve`)
   * need one even to be planned; without it they answer needs_input saying so.
   */
  readonly cluster?: boolean;
  /** Called once per finished operation (metrics). */
  readonly observe?: (response: ExecResponse) => void;
  /** Where the gate's commands go; recorded in every response and audit line. */
  readonly target?: ResponseTarget;
  /** Answers health questions ("what's wrong in my cluster?"); without it they are answered needs_input. */
  readonly health?: HealthScan;
}

export interface OperationOptions {
  /** Correlates logs and the audit line with the caller's request id. */
  readonly operationId?: string;
  /** Refuse (status denied, nothing run) any plan policy does not call read-only: the k8s_read tool. */
  readonly readOnly?: boolean;
  /** Set by a face's own code when a person approved there; never taken from a request (see ApprovedBy). */
  readonly approvedBy?: ApprovedBy;
  /**
   * Characters of each step's stdout in the response (default: the executor's exec.maxStdoutChars); Infinity
   * for all of it (a person at a terminal). Output over it is shaped, and every cut is marked in the text.
   */
  readonly budgetChars?: number;
  /** Each step's stdout as it arrives, redacted (a terminal showing a long rollout status or drain). */
  readonly onOutput?: (chunk: string) => void;
}

type Mode = "exec" | "plan";

interface Planned {
  readonly plan: Plan | null;
  readonly cache?: "hit" | "miss";
  readonly llm?: LlmUsage;
  readonly needsInput?: Pick<ExecResponse, "candidates" | "missing" | "message" | "ask" | "unsupported">;
  readonly notes?: readonly string[];
  /** Lookups made for a card's `resolve` values. */
  readonly lookups?: readonly Lookup[];
  /** Why a card's looked-up values could not be found (then plan is null). */
  readonly unresolved?: { readonly status: ExecStatus; readonly message: string };
  /** A health question: the namespace to scan (null: all of them). */
  readonly health?: { readonly namespace: string | null };
}

interface Base {
  readonly operationId: string;
  readonly request: ExecRequest;
  readonly timer: StageTimer;
  readonly mode: Mode;
  readonly cache: "hit" | "miss" | undefined;
  readonly llm: LlmUsage | undefined;
  readonly lookups: readonly Lookup[] | undefined;
  readonly notes: readonly string[] | undefined;
  /** The memoized plan this operation reused or stored (its audit summaries are cached there). */
  readonly memo: Memoized | undefined;
}
interface Outcome extends Partial<Pick<ExecResponse, "candidates" | "missing" | "ask" | "unsupported">> {
  readonly status: ExecStatus;
  readonly plan: Plan | null;
  readonly validation?: PlanValidation;
  readonly steps?: readonly StepResult[];
  readonly message?: string;
  readonly confirmToken?: string;
  readonly expiresAt?: string;
  readonly health?: HealthReport;
}

export interface Pipeline {
  exec(input: unknown, options?: OperationOptions): Promise<ExecResponse>;
  plan(input: unknown, options?: OperationOptions): Promise<ExecResponse>;
  /**
   * The policy's decision for a request, or null when it does not plan to one operation. Planned only: nothing
   * runs but a card's read-only lookups (added to `reads`), and it writes no audit line of its own; the
   * operation that asks (the health scan, deciding which fixes to offer) records it in its own.
   */
  decide(input: unknown, reads: Lookup[]): Promise<Decision | null>;
}

/**
 * The namespace a plan is validated against: the one the request names, else the one the plan says it targets
 * (a card's rendered value; a model's claim, which can only make a command that targets another one fail).
 */
function intendedNamespace(plan: Plan, request: ExecRequest): string | null {
  return request.namespace ?? plan.namespace;
}

/** request → plan (with any lookups the card needs, through the gate) → policy → approval → gate → audit. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const memo = new PlanMemo();
  // Frozen (a copy): every response and audit line shares it, and the audit log serializes a frozen value once.
  const target = deps.target ? deepFreeze(structuredClone(deps.target)) : undefined;
  async function planRequest(request: ExecRequest, timer: StageTimer): Promise<Planned> {
    const planning = await deps.planner.plan(request, timer);
    switch (planning.kind) {
      case "unsupported":
        throw new RequestValidationError(planning.issues);
      case "needs_input":
        return {
          plan: null,
          needsInput: {
            candidates: planning.candidates,
            missing: planning.missing,
            message: planning.message,
            ...(planning.ask ? { ask: planning.ask } : {}),
            ...(planning.unsupported ? { unsupported: planning.unsupported } : {}),
          },
          ...(planning.notes ? { notes: planning.notes } : {}),
        };
      case "plan":
        return {
          plan: planning.plan,
          ...(planning.cache ? { cache: planning.cache } : {}),
          ...(planning.llm ? { llm: planning.llm } : {}),
          ...(planning.notes ? { notes: planning.notes } : {}),
        };
      case "needs_lookup":
        return resolveAndPlan(planning.pending, request, timer);
      case "health":
        if (!deps.health) return { plan: null, needsInput: { candidates: [], missing: [], message: "a health question, and this runtime has no health scan" } };
        return { plan: null, health: { namespace: planning.namespace } };
    }
  }

  /** Runs the card's lookups through the gate, then has the planner render it once with their values. */
  async function resolveAndPlan(pending: PendingLookup, request: ExecRequest, timer: StageTimer): Promise<Planned> {
    const lookups: Lookup[] = [];
    let values: Readonly<Record<string, string>>;
    try {
      ({ values } = await timer.timeAsync("resolveMs", () =>
        resolveCardValues({ gate: deps.gate, cluster: deps.cluster ?? true }, pending.card, pending.slots, lookups),
      ));
    } catch (error) {
      if (!(error instanceof ResolveError)) throw error;
      return { plan: null, lookups, unresolved: { status: error.status, message: error.message } };
    }
    const resumed = deps.planner.resume(pending, values, request, timer);
    if (resumed.kind === "unsupported") throw new RequestValidationError(resumed.issues);
    if (resumed.kind === "refused_lookup") return { plan: null, lookups, unresolved: { status: "failed", message: resumed.message } };
    return { plan: resumed.plan, lookups };
  }

  /**
   * Not async: a request whose plan and verdict are memoized goes straight to its answer, without the extra
   * promise turns an async function returning a promise costs. Anything thrown is returned as a rejection.
   */
  function run(input: unknown, mode: Mode, options: OperationOptions = {}): Promise<ExecResponse> {
    try {
      const timer = new StageTimer();
      const operationId = options.operationId ?? randomUUID();
      const request = parseWith(ExecRequestSchema, input);
      const key = memo.keyOf(request);
      const known = key === null ? undefined : memo.get(key);
      if (known) {
        const base: Base = { operationId, request, timer, mode, cache: undefined, llm: undefined, lookups: undefined, notes: undefined, memo: known };
        return decideAndRun(base, known.plan, known.validation, options);
      }
      return planAndRun(operationId, request, key, timer, mode, options);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async function planAndRun(operationId: string, request: ExecRequest, key: string | null, timer: StageTimer, mode: Mode, options: OperationOptions): Promise<ExecResponse> {
    const planned = await planRequest(request, timer);
    const base: Base = { operationId, request, timer, mode, cache: planned.cache, llm: planned.llm, lookups: planned.lookups, notes: planned.notes, memo: undefined };
    if (planned.unresolved) return finish(base, { status: planned.unresolved.status, plan: null, message: planned.unresolved.message });
    if (planned.health && deps.health) return answerHealth(base, deps.health, planned.health.namespace);
    if (!planned.plan) return finish(base, { status: "needs_input", plan: null, ...planned.needsInput });
    const plan = planned.plan;
    const validation = timer.time("validateMs", () => validatePlan(plan, deps.policy, intendedNamespace(plan, request)));
    const stored = key === null ? undefined : memo.remember(key, planned, validation);
    return stored ? decideAndRun({ ...base, memo: stored }, stored.plan, stored.validation, options) : decideAndRun(base, plan, validation, options);
  }

  /**
   * Policy's decision, approval, then the gate (exec mode) or the planned answer. Not async (see run): it may
   * throw (an approval secret that cannot be read), which its callers turn into a rejection.
   */
  function decideAndRun(base: Base, plan: Plan, validation: PlanValidation, options: OperationOptions): Promise<ExecResponse> {
    const { request, timer, mode } = base;
    const { decision } = validation.summary;
    if (decision === "deny") {
      return finish(base, { plan, validation, status: "denied", message: `denied: ${validation.summary.reasons.join("; ")}` });
    }
    if (options.readOnly && !validation.summary.readOnly) {
      return finish(base, { plan, validation, status: "denied", message: "denied: this face runs read-only commands only, and this plan changes something; use k8s_exec (or rag-k8s exec) for writes" });
    }
    const dryRun = request.constraints.dryRun;
    if (dryRun) {
      const runnable = timer.time("validateMs", () => deps.gate.runnable(validation, true));
      if ("message" in runnable) return finish(base, { plan, validation, status: "planned", message: runnable.message });
    }
    let approval: ApprovalLabel | undefined;
    if (!dryRun && decision === "confirm") {
      const binding: ApprovalBinding = { argv: validation.summary.argv, target: deps.targetId, namespace: intendedNamespace(plan, request) };
      const ask = (why: string): Promise<ExecResponse> => {
        const issued = deps.approvals.issue(binding);
        const expiresAt = new Date(issued.expiresAt).toISOString();
        const message = `risk ${validation.summary.risk}: ${why}. Ask the person; if they approve, call again with constraints.confirm = true and constraints.confirmToken = "${issued.token}" (single use, valid until ${expiresAt})`;
        return finish(base, { plan, validation, status: "awaiting_confirmation", confirmToken: issued.token, expiresAt, message });
      };
      const check = checkApproval(request.constraints, options.approvedBy, deps.requireHuman ?? false);
      if (!check.approved) return ask(check.message);
      // Redeemed only when it is about to run (a plan runs nothing, so it does not use the token up).
      if (mode === "exec" && check.token !== undefined) {
        const redeemed = deps.approvals.redeem(check.token, binding);
        if (!redeemed.ok) return ask(`not approved: ${redeemed.message}`);
      }
      approval = check.label;
    }
    if (mode === "plan") return finish(base, { plan, validation, status: "planned", message: "validated; not executed" });
    return execute(base, plan, validation, approval, options);
  }

  /** Runs an allowed (or approved) plan through the gate. */
  async function execute(base: Base, plan: Plan, validation: PlanValidation, approval: ApprovalLabel | undefined, options: OperationOptions): Promise<ExecResponse> {
    const { request, timer, operationId } = base;
    const dryRun = request.constraints.dryRun;
    const mutation = { operationId, kind: "exec", request: summaryOf(base), planner: plan.planner, ...(approval ? { approval } : {}) };
    const output: OutputOptions = {
      ...(options.budgetChars !== undefined ? { budgetChars: options.budgetChars } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    };
    const executed = await timer.timeAsync("execMs", () => deps.gate.execute(plan, validation, dryRun, mutation, output));
    const steps = executed.steps;
    const failed = steps.some((s) => s.code !== 0);
    const status: ExecStatus = failed ? "failed" : dryRun ? "dry_run" : "succeeded";
    const message = failed ? failureMessage(steps) : "ok";
    return finish(base, { plan, validation, status, steps, message: executed.auditFailure ? `${message}; ${executed.auditFailure}` : message });
  }

  /**
   * A health question runs the read-only scan (plan mode only says so): its text is the response's stdout,
   * the report its `health`, its list calls the audit line's lookups.
   */
  async function answerHealth(base: Base, scan: HealthScan, namespace: string | null): Promise<ExecResponse> {
    const scope = namespace === null ? "all namespaces" : `namespace ${namespace}`;
    if (base.mode === "plan") return finish(base, { status: "planned", plan: null, message: `a read-only health scan of ${scope}; run it with exec or k8s_health` });
    const { report, reads } = await base.timer.timeAsync("execMs", () => scan(namespace === null ? { allNamespaces: true } : { namespace }));
    return finish({ ...base, lookups: reads }, { status: "succeeded", plan: null, health: report, message: `health scan of ${scope}` });
  }

  async function finish(base: Base, outcome: Outcome): Promise<ExecResponse> {
    const steps = outcome.steps ?? [];
    const summary = outcome.validation?.summary ?? null;
    // Built by assignment in the order the fields are serialized: conditional spreads cost an object each, and
    // this runs for every operation (a memoized /plan spends most of its time here).
    const response = {
      operationId: base.operationId,
      status: outcome.status,
      executed: steps.length > 0,
      dryRun: base.request.constraints.dryRun,
      plan: outcome.plan,
      validation: summary,
      decision: summary?.decision ?? null,
      risk: summary?.risk ?? null,
      result: resultSummary(steps),
      steps,
      stdout: outcome.health ? renderHealth(outcome.health) : joinOutput(steps, "stdout"),
      stderr: joinOutput(steps, "stderr"),
      message: outcome.message ?? "",
    } as Mutable<ExecResponse>;
    if (base.cache) response.cache = base.cache;
    if (base.llm) response.llm = base.llm;
    if (outcome.candidates) response.candidates = outcome.candidates;
    if (outcome.missing) response.missing = outcome.missing;
    if (outcome.ask) response.ask = outcome.ask;
    if (outcome.unsupported) response.unsupported = outcome.unsupported;
    if (base.notes) response.notes = base.notes;
    if (base.lookups) response.lookups = base.lookups;
    if (outcome.confirmToken) response.confirmToken = outcome.confirmToken;
    if (target) response.target = target;
    if (outcome.expiresAt) response.expiresAt = outcome.expiresAt;
    if (outcome.health) response.health = outcome.health;
    response.timings = base.timer.timings();
    await deps.audit.append(auditRecord(base, response, target));
    // The answer's timings include the audit write; the line keeps those it was written with (a new object, not a change).
    response.timings = base.timer.timings();
    deps.observe?.(response);
    return response;
  }

  async function decide(input: unknown, reads: Lookup[]): Promise<Decision | null> {
    const request = parseWith(ExecRequestSchema, input);
    let planned: Planned;
    try {
      planned = await planRequest(request, new StageTimer());
    } catch (error) {
      if (error instanceof RequestValidationError) return null;
      throw error;
    }
    reads.push(...(planned.lookups ?? []));
    const plan = planned.plan;
    return plan ? validatePlan(plan, deps.policy, intendedNamespace(plan, request)).summary.decision : null;
  }

  return {
    exec: (input, options) => run(input, "exec", options),
    plan: (input, options) => run(input, "plan", options),
    decide,
  };
}

function resultSummary(steps: readonly StepResult[]): ResultSummary | null {
  const last = steps.at(-1);
  if (!last) return null;
  const failed = steps.find((s) => s.code !== 0);
  return {
    code: (failed ?? last).code,
    stdoutDigest: last.stdoutDigest,
    stderrDigest: last.stderrDigest,
    duration: Math.round(steps.reduce((sum, s) => sum + s.durationMs, 0) * 1000) / 1000,
    truncated: steps.some((s) => s.truncated.stdout || s.truncated.stderr),
  };
}

function joinOutput(steps: readonly StepResult[], stream: "stdout" | "stderr"): string {
  if (steps.length === 0) return "";
  if (steps.length === 1) return steps[0]?.[stream] ?? "";
  return steps
    .filter((s) => s[stream] !== "")
    .map((s) => `$ ${s.argv.join(" ")}\n${s[stream]}`)
    .join("\n");
}

function failureMessage(steps: readonly StepResult[]): string {
  const failed = steps.find((s) => s.code !== 0);
  if (!failed) return "ok";
  if (failed.timedOut) return `"${failed.argv.slice(0, 3).join(" ")}" timed out after ${Math.round(failed.durationMs)} ms`;
  return `"${failed.argv.slice(0, 3).join(" ")}" exited with ${failed.code ?? failed.signal}`;
}

/** What audit records say about a request: its fields, never the raw body. */
function requestSummary(request: ExecRequest): Record<string, unknown> {
  return {
    kind: requestKind(request),
    command: request.command,
    argv: request.argv,
    context: request.context,
    intent: request.intent,
    resource: request.resource,
    namespace: request.namespace,
    name: request.name,
    selector: request.selector,
    goal: request.goal,
    params: request.params,
    // A token that failed to redeem is still live: the log says one was sent, never which.
    constraints: { ...request.constraints, ...(request.constraints.confirmToken ? { confirmToken: "(sent)" } : {}) },
  };
}

/**
 * The request summary of an operation; for a memoized plan, one frozen summary per constraints shared by every
 * operation with the same request, so the audit log serializes (and redacts) it once.
 */
function summaryOf(base: Base): Record<string, unknown> {
  if (base.memo === undefined) return requestSummary(base.request);
  const key = summaryKey(base.request.constraints);
  let summary = base.memo.summaries.get(key);
  if (summary === undefined) {
    summary = deepFreeze(requestSummary(base.request));
    base.memo.summaries.set(key, summary);
  }
  return summary;
}

/** The last time isoNow() formatted, and its text: every operation finishing within one millisecond shares it. */
let isoMs = Number.NaN;
let isoText = "";

/** `new Date().toISOString()`, formatted once per millisecond. */
function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}

/** The audit line; `lookups` lists the read-only calls made to fill a card's looked-up values. */
function auditRecord(base: Base, response: ExecResponse, target: ResponseTarget | undefined): AuditRecord {
  // Assigned in the line's field order, without conditional spreads (see finish).
  const record = { ts: isoNow(), operationId: base.operationId, kind: base.mode } as AuditRecord;
  if (target) record.target = target;
  record.request = summaryOf(base);
  record.plan = response.plan;
  if (response.decision !== null) record.decision = response.decision;
  if (response.risk !== null) record.risk = response.risk;
  record.argv = response.steps.length === 0 ? [] : response.steps.map((s) => s.argv.join(" "));
  if (response.lookups) record.lookups = response.lookups.map((l) => l.argv.join(" "));
  record.status = response.status;
  // Only what ran has a result: a plan's line has no keys to skip for it.
  const result = response.result;
  if (result) {
    record.exitCode = result.code;
    record.durationMs = result.duration;
    record.stdoutDigest = result.stdoutDigest;
    record.stderrDigest = result.stderrDigest;
  }
  // Not copied: finish replaces the response's timings after the write instead of changing them.
  record.timings = response.timings;
  return record;
}
