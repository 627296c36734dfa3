import { randomUUID } from "node:crypto";
import { CardRenderError } from "../cards/render.js";
import type { Card, CardSet } from "../cards/index.js";
import type { AuditLog, AuditRecord } from "../audit/index.js";
import type { ExecResult, Executor } from "../executor/index.js";
import { serverDryRunArgv } from "../policy/index.js";
import type { Policy } from "../policy/index.js";
import { chooseCard } from "../planner/select.js";
import { ResolutionNeededError, planFromCard } from "../planner/template.js";
import type { Slots } from "../planner/template.js";
import type { Plan } from "../planner/types.js";
import type { Retriever } from "../retrieval/index.js";
import { approvalOf, confirmTokenFor } from "./confirmation.js";
import { RequestValidationError, parseWith } from "./errors.js";
import type { FieldIssue } from "./errors.js";
import type { GoalPlanner } from "./goal.js";
import { ExecRequestSchema } from "./request.js";
import type { ExecRequest } from "./request.js";
import { ResolveError, resolveCardValues } from "./resolve/index.js";
import type { ExecResponse, ExecStatus, LlmUsage, Lookup, ResultSummary, StepResult } from "./response.js";
import { StageTimer } from "./timer.js";
import { validatePlan } from "./validate-plan.js";
import type { PlanValidation } from "./validate-plan.js";

export interface PipelineDeps {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly policy: Policy;
  readonly executor: Executor;
  readonly audit: AuditLog;
  /** Binaries that exist on this machine; cards for missing ones are skipped. */
  readonly binaries: ReadonlySet<string>;
  /** Target/identity arguments rag-k8s itself adds after validation (e.g. --context), never taken from a plan. */
  readonly targetArgs: readonly string[];
  readonly goalPlanner?: GoalPlanner;
  /**
   * Whether a cluster is configured (default true). Cards that look values up from the cluster (`resolve`)
   * need one even to be planned; without it they answer needs_input saying so.
   */
  readonly cluster?: boolean;
  /** Called once per finished operation (metrics). */
  readonly observe?: (response: ExecResponse) => void;
}

export interface OperationOptions {
  /** Correlates logs and the audit line with the caller's request id. */
  readonly operationId?: string;
}

type Mode = "exec" | "plan";

interface Planned {
  readonly plan: Plan | null;
  readonly cache?: "hit" | "miss";
  readonly llm?: LlmUsage;
  readonly needsInput?: Pick<ExecResponse, "candidates" | "missing" | "message">;
  /** Lookups made for a card's `resolve` values. */
  readonly lookups?: readonly Lookup[];
  /** Why a card's looked-up values could not be found (then plan is null). */
  readonly unresolved?: { readonly status: ExecStatus; readonly message: string };
}

interface Base {
  readonly operationId: string;
  readonly request: ExecRequest;
  readonly timer: StageTimer;
  readonly mode: Mode;
  readonly cache: "hit" | "miss" | undefined;
  readonly llm: LlmUsage | undefined;
  readonly lookups: readonly Lookup[] | undefined;
}
interface Outcome extends Partial<Pick<ExecResponse, "candidates" | "missing">> {
  readonly status: ExecStatus;
  readonly plan: Plan | null;
  readonly validation?: PlanValidation;
  readonly steps?: readonly StepResult[];
  readonly message?: string;
  readonly confirmToken?: string;
}

export interface Pipeline {
  exec(input: unknown, options?: OperationOptions): Promise<ExecResponse>;
  plan(input: unknown, options?: OperationOptions): Promise<ExecResponse>;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const byIntentResource = new Map<string, Card[]>();
  for (const card of deps.cards.cards) {
    const key = `${card.intent}/${card.resource}`;
    byIntentResource.set(key, [...(byIntentResource.get(key) ?? []), card]);
  }

  function planStructured(request: ExecRequest & Slots, timer: StageTimer): Plan {
    const query = [request.intent, request.resource, request.goal ?? ""].join(" ");
    const hits = timer.time("retrieveMs", () =>
      deps.retriever.searchLexical(query, { intent: request.intent, resource: request.resource, k: 8 }),
    );
    return timer.time("planMs", () => {
      const ranked = [...new Set([...hits.map((h) => h.card), ...(byIntentResource.get(`${request.intent}/${request.resource}`) ?? [])])];
      const choice = chooseCard(ranked, request, deps.binaries);
      if (!choice.ok) throw noCardError(request, choice.mismatches, byIntentResource);
      try {
        return planFromCard(choice.card, request);
      } catch (error) {
        if (error instanceof CardRenderError) throw renderErrorToRequestError(error);
        throw error;
      }
    });
  }

  /** Plans, running the chosen card's resolvers first when it looks values up from the cluster. */
  async function planRequest(request: ExecRequest, timer: StageTimer): Promise<Planned> {
    try {
      return await planUnresolved(request, timer);
    } catch (error) {
      if (!(error instanceof ResolutionNeededError)) throw error;
      return resolveAndPlan(error, timer);
    }
  }

  async function resolveAndPlan(pending: ResolutionNeededError, timer: StageTimer): Promise<Planned> {
    const lookups: Lookup[] = [];
    const resolveDeps = { policy: deps.policy, executor: deps.executor, targetArgs: deps.targetArgs, cluster: deps.cluster ?? true };
    try {
      const { values } = await timer.timeAsync("resolveMs", () => resolveCardValues(resolveDeps, pending.card, pending.slots, lookups));
      const plan = timer.time("planMs", () => {
        try {
          return planFromCard(pending.card, pending.slots, pending.planner, undefined, values);
        } catch (error) {
          if (!(error instanceof CardRenderError)) throw error;
          if (error.invalid.some((i) => i.name in values)) throw new ResolveError("failed", `refused a value looked up from the cluster: ${error.message}`);
          throw renderErrorToRequestError(error);
        }
      });
      return { plan, lookups };
    } catch (error) {
      if (!(error instanceof ResolveError)) throw error;
      return { plan: null, lookups, unresolved: { status: error.status, message: error.message } };
    }
  }

  async function planUnresolved(request: ExecRequest, timer: StageTimer): Promise<Planned> {
    if (request.intent !== undefined && request.resource !== undefined) {
      return { plan: planStructured({ ...request, intent: request.intent, resource: request.resource }, timer) };
    }
    if (!deps.goalPlanner) throw new RequestValidationError([{ path: "intent", message: "intent and resource are required" }]);
    const outcome = await deps.goalPlanner.plan(request.goal ?? "", timer);
    if (outcome.kind === "plan") return { plan: outcome.plan, ...(outcome.cache ? { cache: outcome.cache } : {}), ...(outcome.llm ? { llm: outcome.llm } : {}) };
    return { plan: null, needsInput: { candidates: outcome.candidates, missing: outcome.missing, message: outcome.message } };
  }

  async function run(input: unknown, mode: Mode, options: OperationOptions = {}): Promise<ExecResponse> {
    const timer = new StageTimer();
    const operationId = options.operationId ?? randomUUID();
    const request = parseWith(ExecRequestSchema, input);
    const planned = await planRequest(request, timer);
    const base: Base = { operationId, request, timer, mode, cache: planned.cache, llm: planned.llm, lookups: planned.lookups };
    if (planned.unresolved) return finish(base, { status: planned.unresolved.status, plan: null, message: planned.unresolved.message });
    if (!planned.plan) return finish(base, { status: "needs_input", plan: null, ...planned.needsInput });
    const plan = planned.plan;
    const validation = timer.time("validateMs", () => validatePlan(plan, deps.policy));
    const { decision } = validation.summary;
    const withPlan = { plan, validation };
    if (decision === "deny") {
      return finish(base, { ...withPlan, status: "denied", message: `denied: ${validation.summary.reasons.join("; ")}` });
    }
    const dryRun = request.constraints.dryRun;
    let argvs = validation.summary.argv;
    if (dryRun) {
      const dry = timer.time("validateMs", () => dryRunArgvs(validation));
      if (typeof dry === "string") return finish(base, { ...withPlan, status: "planned", message: dry });
      argvs = dry;
    } else if (decision === "confirm") {
      const confirmToken = confirmTokenFor(validation.summary.argv);
      const approval = approvalOf(request.constraints, plan, confirmToken, validation.summary.risk);
      if (!approval.approved) return finish(base, { ...withPlan, status: "awaiting_confirmation", confirmToken, message: approval.message });
    }
    if (mode === "plan") return finish(base, { ...withPlan, status: "planned", message: "validated; not executed" });
    if (!validation.summary.readOnly && !dryRun) await deps.audit.assertWritable();
    const steps = await timer.timeAsync("execMs", () => execute(argvs, validation.summary.readOnly));
    const failed = steps.some((s) => s.code !== 0);
    const status: ExecStatus = failed ? "failed" : dryRun ? "dry_run" : "succeeded";
    return finish(base, { ...withPlan, status, steps, message: failed ? failureMessage(steps) : "ok" });
  }

  function dryRunArgvs(validation: PlanValidation): (readonly string[])[] | string {
    const argvs: (readonly string[])[] = [];
    for (const verdict of validation.steps) {
      if (verdict.readOnly) {
        argvs.push(verdict.argv);
        continue;
      }
      const dry = verdict.parsed ? serverDryRunArgv(verdict.parsed) : null;
      if (!dry) {
        return `kubectl cannot dry-run "${verdict.argv.slice(0, 3).join(" ")}" on the server; the plan was validated but not executed`;
      }
      argvs.push(dry);
    }
    return argvs;
  }

  async function execute(argvs: readonly (readonly string[])[], readOnly: boolean): Promise<StepResult[]> {
    const results: StepResult[] = [];
    for (const argv of argvs) {
      const [binary, ...rest] = argv;
      const result = await deps.executor.run([binary ?? "", ...deps.targetArgs, ...rest]);
      results.push(stepResult(argv, result));
      // Diagnostic reads still tell something after a failed step; a failed mutation stops the plan.
      if (result.code !== 0 && !readOnly) break;
    }
    return results;
  }

  async function finish(base: Base, outcome: Outcome): Promise<ExecResponse> {
    const steps = outcome.steps ?? [];
    const summary = outcome.validation?.summary ?? null;
    const response: ExecResponse = {
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
      stdout: joinOutput(steps, "stdout"),
      stderr: joinOutput(steps, "stderr"),
      message: outcome.message ?? "",
      ...(base.cache ? { cache: base.cache } : {}),
      ...(base.llm ? { llm: base.llm } : {}),
      ...(outcome.candidates ? { candidates: outcome.candidates } : {}),
      ...(outcome.missing ? { missing: outcome.missing } : {}),
      ...(base.lookups ? { lookups: base.lookups } : {}),
      ...(outcome.confirmToken ? { confirmToken: outcome.confirmToken } : {}),
      timings: base.timer.timings(),
    };
    await deps.audit.append(auditRecord(base, response));
    const final = { ...response, timings: base.timer.timings() };
    deps.observe?.(final);
    return final;
  }

  return {
    exec: (input, options) => run(input, "exec", options),
    plan: (input, options) => run(input, "plan", options),
  };
}

function stepResult(argv: readonly string[], result: ExecResult): StepResult {
  return {
    argv,
    code: result.code,
    signal: result.signal,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    stdout: result.stdout,
    stderr: result.stderr,
    truncated: result.truncated,
    stdoutDigest: result.stdoutDigest,
    stderrDigest: result.stderrDigest,
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

/** The audit line; `lookups` lists the read-only calls made to fill a card's looked-up values. */
function auditRecord(base: Base, response: ExecResponse): AuditRecord {
  const { request } = base;
  return {
    ts: new Date().toISOString(),
    operationId: base.operationId,
    kind: base.mode,
    request: {
      intent: request.intent,
      resource: request.resource,
      namespace: request.namespace,
      name: request.name,
      selector: request.selector,
      goal: request.goal,
      params: request.params,
      constraints: request.constraints,
    },
    plan: response.plan,
    decision: response.decision ?? undefined,
    risk: response.risk ?? undefined,
    argv: response.steps.map((s) => s.argv.join(" ")),
    ...(response.lookups ? { lookups: response.lookups.map((l) => l.argv.join(" ")) } : {}),
    status: response.status,
    exitCode: response.result?.code,
    durationMs: response.result?.duration,
    stdoutDigest: response.result?.stdoutDigest,
    stderrDigest: response.result?.stderrDigest,
    timings: { ...response.timings },
  };
}

function renderErrorToRequestError(error: CardRenderError): RequestValidationError {
  const issues: FieldIssue[] = [
    ...error.missing.map((name) => ({ path: fieldPath(name), message: `is required by card ${error.cardId}` })),
    ...error.invalid.map((i) => ({ path: fieldPath(i.name), message: i.reason })),
  ];
  return new RequestValidationError(issues.length > 0 ? issues : [{ path: "", message: error.message }]);
}

function fieldPath(param: string): string {
  return ["name", "namespace", "selector"].includes(param) ? param : `params.${param}`;
}

function noCardError(
  request: Slots,
  mismatches: readonly { cardId: string; missing: readonly string[]; unsupported: readonly string[]; binary: string; binaryAvailable: boolean }[],
  byIntentResource: ReadonlyMap<string, Card[]>,
): RequestValidationError {
  if (mismatches.length === 0) {
    const available = [...byIntentResource.keys()].filter((k) => k.endsWith(`/${request.resource}`)).map((k) => k.split("/")[0]);
    return new RequestValidationError([
      {
        path: "intent",
        message: `no card does "${request.intent}" on ${request.resource}; intents for ${request.resource}: ${available.join(", ") || "none"}`,
      },
    ]);
  }
  const issues: FieldIssue[] = [];
  for (const m of mismatches) {
    for (const name of m.missing) issues.push({ path: fieldPath(name), message: `is required (card ${m.cardId})` });
    for (const name of m.unsupported) issues.push({ path: fieldPath(name), message: `is not used by card ${m.cardId}` });
    if (!m.binaryAvailable) issues.push({ path: "", message: `card ${m.cardId} needs ${m.binary}, which is not installed` });
  }
  return new RequestValidationError(issues);
}
