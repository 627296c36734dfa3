import { createApprovals, defaultApprovalPaths } from "../approval/index.js";
import type { Approvals } from "../approval/index.js";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { CardSet } from "../cards/index.js";
import { openAuditLog } from "../audit/index.js";
import type { AuditLog } from "../audit/index.js";
import type { Config } from "../config/index.js";
import { createGate } from "../core/gate.js";
import type { Gate } from "../core/gate.js";
import { createHealthScan } from "../core/health-scan.js";
import type { HealthScope } from "../core/health-scan.js";
import type { HealthReport } from "../health/index.js";
import { InFlight } from "../core/in-flight.js";
import { RequestValidationError } from "../core/errors.js";
import { createPipeline } from "../core/pipeline.js";
import type { OperationOptions, Pipeline } from "../core/pipeline.js";
import type { ExecResponse } from "../core/response.js";
import { createApiExecutor, createExecutor } from "../executor/index.js";
import type { Executor } from "../executor/index.js";
import { createInventory } from "../kube/index.js";
import type { KubectlRead } from "../kube/index.js";
import { createModelPlanner, createPlanner } from "../planner/index.js";
import { summarizePolicy, validateCommand } from "../policy/index.js";
import type { Policy, Validation } from "../policy/index.js";
import { renderContext } from "../retrieval/index.js";
import type { RenderedContext, RetrievalHit, Retriever, SearchOptions } from "../retrieval/index.js";
import type { Sandbox } from "../sandbox/index.js";
import { loadCardSet, openRetriever } from "./catalog.js";
import { providerFromConfig } from "./model.js";
import { effectivePolicy } from "./policy.js";
import { openTarget } from "./target.js";
import type { OpenTarget, Target, TargetOptions } from "./target.js";

export interface RuntimeOptions extends TargetOptions {
  readonly config: Config;
  readonly onWarning?: (message: string) => void;
  /** Load a configured LLM before returning instead of at the first goal that needs it. */
  readonly preloadModel?: boolean;
  /** Called once per finished operation, e.g. to record metrics. */
  readonly observe?: (response: ExecResponse) => void;
  /**
   * Whether cards may look values up in the target cluster while planning (default: when a sandbox runs,
   * a kubeconfig is configured or ~/.kube/config exists). false keeps planning off the cluster entirely.
   */
  readonly cluster?: boolean;
  /** Runs what the gate lets through; default kubectl child processes built from exec.* configuration. */
  readonly executor?: Executor;
  /** Records every operation; default the JSONL log at audit.path. */
  readonly audit?: AuditLog;
  /** Where operations go; default from configuration (sandbox or kubeconfig, see TargetOptions). */
  readonly target?: OpenTarget;
  /** Confirmation tokens; default HMAC tokens under the installation secret (defaultApprovalPaths of `env`). */
  readonly approvals?: Approvals;
}

export interface RagK8s {
  readonly config: Config;
  readonly cards: CardSet;
  readonly policy: Policy;
  readonly retriever: Retriever;
  readonly executor: Executor;
  readonly target: Target;
  readonly sandbox: Sandbox | null;
  exec(request: unknown, options?: OperationOptions): Promise<ExecResponse>;
  plan(request: unknown, options?: OperationOptions): Promise<ExecResponse>;
  /** As exec, but a plan policy does not call read-only is refused (status denied) before anything runs. */
  read(request: unknown, options?: OperationOptions): Promise<ExecResponse>;
  retrieve(query: string, options?: SearchOptions): Promise<RetrievalHit[]>;
  context(hits: readonly RetrievalHit[], tokenBudget?: number): RenderedContext;
  validate(command: string, options?: { namespace?: string }): Validation;
  /** What is wrong in a namespace or all of them: a read-only scan through the gate, within a token budget. */
  health(scope: HealthScope, options?: Pick<OperationOptions, "operationId">): Promise<HealthReport>;
  /** Loads the configured planner model now (no-op without one). */
  warm(): Promise<void>;
  /** Lets running operations finish, drains the executor, flushes the audit log, stops a sandbox it started. */
  close(): Promise<void>;
}

/** How long the goal parser trusts what it read of the cluster's names before reading them again. */
const INVENTORY_TTL_MS = 30_000;

function inventoryRead(gate: Gate): KubectlRead {
  return async (argv) => {
    const outcome = await gate.lookup(["kubectl", ...argv], undefined, []);
    if (!outcome.ok) return { code: 1, stdout: "" };
    return { code: outcome.result.code, stdout: outcome.result.stdout };
  };
}

/**
 * The API server answered in process for the verbs the direct executor fully understands (exec.mode auto), kubectl
 * for everything else; both behind the same gate, so policy, caps, redaction and audit do not depend on which ran.
 */
function directExecutor(config: Config, env: Record<string, string>): Executor & { close?: () => unknown } {
  const fallback = kubectlExecutor(config, env);
  if (config.exec.mode === "kubectl") return fallback;
  return createApiExecutor({
    fallback,
    mode: config.exec.mode,
    ...(env["KUBECONFIG"] ? { kubeconfig: env["KUBECONFIG"] } : {}),
    timeoutMs: config.exec.timeoutMs,
    maxStdoutChars: config.exec.maxStdoutChars,
    maxStderrChars: config.exec.maxStderrChars,
    discoveryCacheDir: join(config.retrieval.cacheDir, "discovery"),
  });
}

function kubectlExecutor(config: Config, env: Record<string, string>): Executor {
  return createExecutor({
    binaries: { kubectl: config.kube.kubectl, flux: config.kube.flux },
    env,
    concurrency: config.exec.concurrency,
    timeoutMs: config.exec.timeoutMs,
    killGraceMs: config.exec.killGraceMs,
    maxStdoutChars: config.exec.maxStdoutChars,
    maxStderrChars: config.exec.maxStderrChars,
  });
}

/** The context a raw request names, if any (the schema checks its spelling; this only picks the pipeline). */
function namedContext(request: unknown): string | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const context = (request as Record<string, unknown>)["context"];
  return typeof context === "string" ? context : undefined;
}

/** The target as audit records and approvals name it: a token issued for one cluster is refused for another. */
function targetIdOf(record: ExecResponse["target"]): string {
  if (record === undefined || record.kind === "sandbox") return "sandbox";
  return `${record.context}@${record.server ?? "unknown-server"}`;
}

/**
 * The composition root: config → target → cards, policy, retriever, planners, gate (executor, audit) → pipeline.
 * Executor, audit log and target may be passed in (tests pass fakes); everything else is built from config.
 */
export async function createRagK8s(options: RuntimeOptions): Promise<RagK8s> {
  const { config } = options;
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const cards = await loadCardSet(config);
  const policy = effectivePolicy(config);
  const retriever = await openRetriever(config, cards, { onWarning: warn });
  const target = options.target ?? (await openTarget(config, options));
  try {
    const executor = options.executor ?? directExecutor(config, target.env);
    const { mutations } = config.audit;
    const audit =
      options.audit ??
      (await openAuditLog({
        path: config.audit.path,
        maxBytes: config.audit.maxBytes,
        retain: config.audit.retain,
        mutations: { keepDays: mutations.keepDays, keepCount: mutations.keepCount, segmentBytes: mutations.segmentBytes, ...(mutations.path ? { path: mutations.path } : {}) },
      }));
    const approvals = options.approvals ?? createApprovals(defaultApprovalPaths(options.env ?? process.env));
    // Cards for tools that are not installed (flux) are skipped in favour of their kubectl equivalents.
    const binaries: ReadonlySet<string> = new Set(["kubectl", "flux"].filter((name) => executor.available(name)));
    const loadModel = providerFromConfig(config);
    const model = loadModel
      ? createModelPlanner({
          cards,
          retriever,
          policySummary: summarizePolicy(policy),
          load: loadModel,
          planCacheSize: config.planCache.size,
          k: config.retrieval.k,
          tokenBudget: config.retrieval.tokenBudget,
          maxTokens: config.llm.maxTokens,
          temperature: config.llm.temperature,
        })
      : undefined;
    if (model && options.preloadModel) await model.warm();
    const cluster = options.cluster ?? target.reachable;
    // One pipeline per target: the configured one, and each context of kube.contexts a request may name. Each has
    // its own gate (which adds its --context) and its own inventory of names, read through that gate and cached per TTL.
    const pipelineFor = (targetArgs: readonly string[], record: ExecResponse["target"]) => {
      const targetId = targetIdOf(record);
      const gate = createGate({ policy, executor, audit, targetArgs, targetId });
      const inventory = cluster ? createInventory(inventoryRead(gate), { ttlMs: INVENTORY_TTL_MS }) : undefined;
      // The scan asks the pipeline to plan (not run) each fix it offers, so a fix the policy denies is never suggested.
      const scan = createHealthScan({ gate, decide: (request, reads) => built.decide(request, reads), flux: binaries.has("flux") });
      const built = createPipeline({
        planner: createPlanner({ cards, retriever, binaries, commandBinaries: policy.binaries, ...(model ? { model } : {}), ...(inventory ? { inventory } : {}) }),
        policy,
        gate,
        health: scan,
        audit,
        approvals,
        targetId,
        requireHuman: config.confirm.requireHuman,
        cluster,
        ...(record ? { target: record } : {}),
        ...(options.observe ? { observe: options.observe } : {}),
      });
      return { pipeline: built, scan };
    };
    const { pipeline, scan } = pipelineFor(target.targetArgs, target.target.record);
    const byContext = new Map([...target.contexts].map(([name, context]) => [name, pipelineFor(context.targetArgs, context.record).pipeline]));
    const choose = (request: unknown): Pipeline => {
      const name = namedContext(request);
      if (name === undefined) return pipeline;
      const chosen = byContext.get(name);
      if (chosen) return chosen;
      const allowed = [...byContext.keys()];
      throw new RequestValidationError([
        { path: "context", message: allowed.length ? `"${name}" is not an allowed context; allowed (kube.contexts): ${allowed.join(", ")}` : `"${name}" cannot be chosen: kube.contexts allows no context to be named` },
      ]);
    };
    const operations = new InFlight();
    /** One audit line per scan, listing the list calls it made. */
    async function scanAndAudit(scope: HealthScope, operationId: string): Promise<HealthReport> {
      const started = performance.now();
      const { report, reads } = await scan(scope);
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      await audit.append({ ts: new Date().toISOString(), operationId, kind: "health", request: { ...scope }, lookups: reads.map((r) => r.argv.join(" ")), status: report.unavailable.length > 0 ? "partial" : "succeeded", durationMs });
      return report;
    }
    return {
      config,
      cards,
      policy,
      retriever,
      executor,
      target: target.target,
      sandbox: target.sandbox,
      exec: async (request, operation) => operations.track(choose(request).exec(request, operation)),
      plan: async (request, operation) => operations.track(choose(request).plan(request, operation)),
      read: async (request, operation) => operations.track(choose(request).exec(request, { ...operation, readOnly: true })),
      retrieve: (query, searchOptions) => retriever.search(query, searchOptions),
      context: (hits, tokenBudget = config.retrieval.tokenBudget) => renderContext(hits, { tokenBudget }),
      validate: (command, validateOptions) => validateCommand(command, policy, validateOptions),
      health: (scope, operation) => operations.track(scanAndAudit(scope, operation?.operationId ?? randomUUID())),
      warm: async () => {
        await model?.warm();
      },
      async close() {
        // Operations whose process has ended may still be writing their audit line.
        await operations.settled();
        await executor.drain();
        await (executor as { close?: () => unknown }).close?.();
        await audit.close();
        await model?.close();
        await target.close();
      },
    };
  } catch (error) {
    await target.close();
    throw error;
  }
}
