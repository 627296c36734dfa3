import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { CardSet } from "../cards/index.js";
import { openAuditLog } from "../audit/index.js";
import type { AuditLog } from "../audit/index.js";
import type { Config } from "../config/index.js";
import { createExecutor } from "../executor/index.js";
import type { Executor } from "../executor/index.js";
import { loadPolicy, validateCommand } from "../policy/index.js";
import type { Policy, Validation } from "../policy/index.js";
import { renderContext } from "../retrieval/index.js";
import type { RetrievalHit, Retriever, SearchOptions, RenderedContext } from "../retrieval/index.js";
import type { Sandbox } from "../sandbox/index.js";
import { loadCardSet, openRetriever } from "./catalog.js";
import type { GoalPlanner } from "./goal.js";
import { createGoalPlanner } from "./goal-planner.js";
import { createModelPlanner, providerFromConfig } from "./model-planner.js";
import { createPipeline } from "./pipeline.js";
import type { OperationOptions, Pipeline } from "./pipeline.js";
import type { ExecResponse } from "./response.js";

/** Environment variables kubectl and its credential plugins may need; nothing else reaches the child. */
const PASSED_ENV = /^(PATH|HOME|USER|LANG|LC_[A-Z]+|TZ|TMPDIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|AWS_[A-Z_]+|AZURE_[A-Z_]+|GOOGLE_[A-Z_]+|CLOUDSDK_[A-Z_]+|USE_GKE_GCLOUD_AUTH_PLUGIN|KUBECACHEDIR)$/;

export type TargetKind = "sandbox" | "cluster";

export interface RuntimeOptions {
  readonly config: Config;
  /** "auto": the sandbox when no kubeconfig is configured and ~/.kube/config does not exist. */
  readonly sandbox?: "auto" | "always" | "never";
  readonly env?: NodeJS.ProcessEnv;
  readonly onWarning?: (message: string) => void;
  /** Builds the free-text planner once the runtime's parts exist (goal parser, LLM). */
  readonly goalPlanner?: (parts: RuntimeParts) => GoalPlanner | Promise<GoalPlanner>;
  /** Load a configured LLM before returning instead of at the first goal that needs it. */
  readonly preloadModel?: boolean;
  /** Called once per finished operation, e.g. to record metrics. */
  readonly observe?: (response: ExecResponse) => void;
  /**
   * Whether cards may look values up in the target cluster while planning (default: when a sandbox runs,
   * a kubeconfig is configured or ~/.kube/config exists). false keeps planning off the cluster entirely.
   */
  readonly cluster?: boolean;
}

export interface RuntimeParts {
  readonly config: Config;
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly policy: Policy;
  readonly binaries: ReadonlySet<string>;
}

export interface Target {
  readonly kind: TargetKind;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly sandboxUrl?: string;
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
  /** Loads the configured planner model now (no-op without one). */
  warm(): Promise<void>;
  close(): Promise<void>;
}

function childEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && PASSED_ENV.test(key)) out[key] = value;
  return out;
}

function wantsSandbox(config: Config, mode: RuntimeOptions["sandbox"], env: NodeJS.ProcessEnv): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  return config.kube.kubeconfig === undefined && !existsSync(join(env["HOME"] ?? homedir(), ".kube", "config"));
}

/** Loads cards, policy, retrieval and the audit log once, and connects the pipeline to its target cluster. */
export async function createRagK8s(options: RuntimeOptions): Promise<RagK8s> {
  const { config } = options;
  const env = options.env ?? process.env;
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`warning: ${message}\n`));
  const cards = await loadCardSet(config);
  const policy = loadPolicy(config.policy.dir);
  const retriever = await openRetriever(config, cards, { onWarning: warn });
  const baseEnv = childEnv(env);

  let sandbox: Sandbox | null = null;
  let scratch: string | null = null;
  let target: Target;
  if (wantsSandbox(config, options.sandbox, env)) {
    const { startSandbox } = await import("../sandbox/index.js");
    sandbox = await startSandbox();
    scratch = mkdtempSync(join(tmpdir(), "rag-k8s-sandbox-"));
    const kubeconfig = join(scratch, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    baseEnv["KUBECONFIG"] = kubeconfig;
    baseEnv["KUBECACHEDIR"] = join(scratch, "cache");
    target = { kind: "sandbox", kubeconfig, context: null, sandboxUrl: sandbox.url };
  } else {
    if (config.kube.kubeconfig) baseEnv["KUBECONFIG"] = config.kube.kubeconfig;
    target = { kind: "cluster", kubeconfig: config.kube.kubeconfig ?? null, context: config.kube.context ?? null };
  }

  const executor = createExecutor({
    binaries: { kubectl: config.kube.kubectl, flux: config.kube.flux },
    env: baseEnv,
    concurrency: config.exec.concurrency,
    timeoutMs: config.exec.timeoutMs,
    killGraceMs: config.exec.killGraceMs,
    maxStdoutChars: config.exec.maxStdoutChars,
    maxStderrChars: config.exec.maxStderrChars,
  });
  // Cards for tools that are not installed (flux) are skipped in favour of their kubectl equivalents.
  const binaries: ReadonlySet<string> = new Set(["kubectl", "flux"].filter((name) => executor.available(name)));
  const audit: AuditLog = await openAuditLog({
    path: config.audit.path,
    maxBytes: config.audit.maxBytes,
    retain: config.audit.retain,
  });
  const parts: RuntimeParts = { config, cards, retriever, policy, binaries };
  const loadModel = providerFromConfig(config);
  const model = loadModel ? createModelPlanner({ config, cards, retriever, policy }, loadModel) : undefined;
  if (model && options.preloadModel) await model.warm();
  const goalPlanner = options.goalPlanner
    ? await options.goalPlanner(parts)
    : createGoalPlanner({ cards, retriever, binaries, ...(model ? { model } : {}) });
  const pipeline: Pipeline = createPipeline({
    cards,
    retriever,
    policy,
    executor,
    audit,
    binaries,
    targetArgs: target.context ? ["--context", target.context] : [],
    cluster: options.cluster ?? (target.kind === "sandbox" || target.kubeconfig !== null || existsSync(join(env["HOME"] ?? homedir(), ".kube", "config"))),
    goalPlanner,
    ...(options.observe ? { observe: options.observe } : {}),
  });

  const operations = new Set<Promise<ExecResponse>>();
  const track = (operation: Promise<ExecResponse>): Promise<ExecResponse> => {
    operations.add(operation);
    const forget = () => operations.delete(operation);
    operation.then(forget, forget);
    return operation;
  };

  return {
    config,
    cards,
    policy,
    retriever,
    executor,
    target,
    sandbox,
    exec: (request, operation) => track(pipeline.exec(request, operation)),
    plan: (request, operation) => track(pipeline.plan(request, operation)),
    retrieve: (query, searchOptions) => retriever.search(query, searchOptions),
    context: (hits, tokenBudget = config.retrieval.tokenBudget) => renderContext(hits, { tokenBudget }),
    validate: (command, validateOptions) => validateCommand(command, policy, validateOptions),
    warm: async () => {
      await model?.warm();
    },
    async close() {
      // Operations whose process has ended may still be writing their audit line.
      await Promise.allSettled([...operations]);
      await executor.drain();
      await audit.close();
      await model?.close();
      await sandbox?.close();
      if (scratch) rmSync(scratch, { recursive: true, force: true });
    },
  };
}
