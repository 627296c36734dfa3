import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { CardSet } from "../cards/index.js";
import { openAuditLog } from "../audit/index.js";
import type { AuditLog } from "../audit/index.js";
import type { Config } from "../config/index.js";
import { createGate } from "../core/gate.js";
import { createHealthScan } from "../core/health-scan.js";
import type { HealthScope } from "../core/health-scan.js";
import type { HealthReport } from "../health/index.js";
import { InFlight } from "../core/in-flight.js";
import { createPipeline } from "../core/pipeline.js";
import type { OperationOptions } from "../core/pipeline.js";
import type { ExecResponse } from "../core/response.js";
import { createExecutor } from "../executor/index.js";
import type { Executor } from "../executor/index.js";
import { createModelPlanner, createPlanner } from "../planner/index.js";
import { loadPolicy, summarizePolicy, validateCommand } from "../policy/index.js";
import type { Policy, Validation } from "../policy/index.js";
import { renderContext } from "../retrieval/index.js";
import type { RenderedContext, RetrievalHit, Retriever, SearchOptions } from "../retrieval/index.js";
import type { Sandbox } from "../sandbox/index.js";
import { loadCardSet, openRetriever } from "./catalog.js";
import { providerFromConfig } from "./model.js";
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

/**
 * The composition root: config → target → cards, policy, retriever, planners, gate (executor, audit) → pipeline.
 * Executor, audit log and target may be passed in (tests pass fakes); everything else is built from config.
 */
export async function createRagK8s(options: RuntimeOptions): Promise<RagK8s> {
  const { config } = options;
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const cards = await loadCardSet(config);
  const policy = loadPolicy(config.policy.dir);
  const retriever = await openRetriever(config, cards, { onWarning: warn });
  const target = options.target ?? (await openTarget(config, options));
  try {
    const executor = options.executor ?? kubectlExecutor(config, target.env);
    const audit = options.audit ?? (await openAuditLog({ path: config.audit.path, maxBytes: config.audit.maxBytes, retain: config.audit.retain }));
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
    const gate = createGate({ policy, executor, audit, targetArgs: target.targetArgs });
    // The scan asks the pipeline to plan (not run) each fix it offers, so a fix the policy denies is never suggested.
    const scan = createHealthScan({ gate, decide: (request, reads) => pipeline.decide(request, reads), flux: binaries.has("flux") });
    const pipeline = createPipeline({
      planner: createPlanner({ cards, retriever, binaries, ...(model ? { model } : {}) }),
      policy,
      gate,
      health: scan,
      audit,
      cluster: options.cluster ?? target.reachable,
      ...(options.observe ? { observe: options.observe } : {}),
    });
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
      exec: (request, operation) => operations.track(pipeline.exec(request, operation)),
      plan: (request, operation) => operations.track(pipeline.plan(request, operation)),
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
