import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { Config } from "../config/index.js";
import { RagK8sError } from "../core/errors.js";
import type { ResponseTarget } from "../core/response.js";
import type { Sandbox } from "../sandbox/index.js";
import { readKubeconfig, resolveTarget } from "../target/index.js";
import type { TargetRequest } from "../target/index.js";

/** Environment variables kubectl and its credential plugins may need; nothing else reaches the child. */
const PASSED_ENV = /^(PATH|HOME|USER|LANG|LC_[A-Z]+|TZ|TMPDIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|AWS_[A-Z_]+|AZURE_[A-Z_]+|GOOGLE_[A-Z_]+|CLOUDSDK_[A-Z_]+|USE_GKE_GCLOUD_AUTH_PLUGIN|KUBECACHEDIR)$/;

export type TargetKind = "sandbox" | "cluster";

/** The cluster operations go to, as the faces report it. */
export interface Target {
  readonly kind: TargetKind;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly server: string | null;
  readonly sandboxUrl?: string;
  /** One line for people, e.g. `context prod-eu @ https://… (from ~/.kube/config)`. */
  readonly describe: string;
  /** What every response and audit line records. */
  readonly record: ResponseTarget;
}

/** A context a request named (one of kube.contexts): the gate's --context and what responses record. */
export interface ContextTarget {
  readonly targetArgs: readonly string[];
  readonly record: ResponseTarget;
}

/** A target ready to use: what the executor's children get, and whether planning may look values up there. */
export interface OpenTarget {
  readonly target: Target;
  /** The only environment kubectl receives. */
  readonly env: Record<string, string>;
  /** Target arguments the gate adds after validation (--context). */
  readonly targetArgs: readonly string[];
  /** Whether a cluster is there to look card values up in while planning. */
  readonly reachable: boolean;
  readonly sandbox: Sandbox | null;
  /** The contexts of kube.contexts that a request may name, each checked to exist in the kubeconfig. */
  readonly contexts: ReadonlyMap<string, ContextTarget>;
  close(): Promise<void>;
}

export interface TargetOptions {
  /**
   * "auto": resolve from flags, environment, config, ~/.kube/config, a running `rag-k8s sandbox`, else a one-shot
   * sandbox; "always": the sandbox (--sandbox); "never": as auto, but a one-shot sandbox is not started (planning only).
   */
  readonly sandbox?: "auto" | "always" | "never";
  /** Seed for a sandbox this call starts (a fixture file; a running `rag-k8s sandbox` is then not used); default the bundled fixture. */
  readonly fixture?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** false: resolve and name a one-shot sandbox but never start one (e.g. `config show`); default true. */
  readonly start?: boolean;
  /** Where kube.kubeconfig and kube.context came from (loadConfig's `sources`); "flag" ones conflict with --sandbox. */
  readonly sources?: Readonly<Record<string, string>>;
}

/** The target could not be resolved: a usage error (conflicting flags) or an environment one (a missing file). */
export class TargetError extends RagK8sError {
  override readonly name = "TargetError";
}

function childEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && PASSED_ENV.test(key)) out[key] = value;
  return out;
}

function targetRequest(config: Config, options: TargetOptions, env: NodeJS.ProcessEnv): TargetRequest {
  const source = (path: string) => options.sources?.[path] ?? "config";
  return {
    ...(config.kube.kubeconfig ? { kubeconfig: { value: config.kube.kubeconfig, source: source("kube.kubeconfig") } } : {}),
    ...(config.kube.context ? { context: { value: config.kube.context, source: source("kube.context") } } : {}),
    ...(options.sandbox === "always" ? { sandbox: true } : {}),
    ...(options.fixture ? { seededSandbox: true } : {}),
    env,
  };
}

/** kube.contexts, each checked against the kubeconfig: a name it does not define is a configuration error. */
function allowedContexts(config: Config, kubeconfig: string | null): Map<string, ContextTarget> {
  const names = config.kube.contexts;
  if (names.length === 0) return new Map();
  if (kubeconfig === null) {
    throw new TargetError("environment", `kube.contexts (${names.join(", ")}) needs a kubeconfig, but the target is the sandbox; pass --kubeconfig or drop kube.contexts`);
  }
  const read = readKubeconfig(kubeconfig.split(delimiter).filter((f) => f !== ""));
  if (!read.ok) throw new TargetError("environment", read.message);
  const contexts = new Map<string, ContextTarget>();
  for (const name of names) {
    const entry = read.summary.contexts.get(name);
    if (!entry) throw new TargetError("input", `kube.contexts names "${name}", which kubeconfig ${kubeconfig} does not define; its contexts: ${[...read.summary.contexts.keys()].join(", ")}`);
    contexts.set(name, { targetArgs: ["--context", name], record: { kind: "cluster", context: name, server: entry.server } });
  }
  return contexts;
}

/**
 * config → target, resolved once (see resolveTarget): a cluster from a kubeconfig, a running `rag-k8s sandbox`
 * (its kubeconfig; nothing is started), or a one-shot sandbox started here with its own kubeconfig and cache.
 */
export async function openTarget(config: Config, options: TargetOptions = {}): Promise<OpenTarget> {
  const env = options.env ?? process.env;
  const base = childEnv(env);
  const resolved = resolveTarget(targetRequest(config, options, env));
  if (!resolved.ok) throw new TargetError(resolved.kind, resolved.message);
  const chosen = resolved.target;
  if (chosen.kind === "cluster") {
    // --context is always added, so what runs is the context recorded even if the kubeconfig changes meanwhile.
    const record: ResponseTarget = { kind: "cluster", context: chosen.context, server: chosen.server };
    return {
      target: { kind: "cluster", kubeconfig: chosen.kubeconfig, context: chosen.context, server: chosen.server, describe: chosen.describe, record },
      env: { ...base, KUBECONFIG: chosen.kubeconfig },
      targetArgs: ["--context", chosen.context],
      reachable: true,
      sandbox: null,
      contexts: allowedContexts(config, chosen.kubeconfig),
      close: async () => {},
    };
  }
  const record: ResponseTarget = { kind: "sandbox" };
  allowedContexts(config, null);
  if (chosen.mode === "running" && chosen.kubeconfig !== null) {
    return {
      target: { kind: "sandbox", kubeconfig: chosen.kubeconfig, context: null, server: chosen.server, ...(chosen.server ? { sandboxUrl: chosen.server } : {}), describe: chosen.describe, record },
      env: { ...base, KUBECONFIG: chosen.kubeconfig },
      targetArgs: [],
      reachable: true,
      sandbox: null,
      contexts: new Map(),
      close: async () => {},
    };
  }
  if (options.sandbox === "never" || options.start === false) {
    // Planning only: a one-shot sandbox would be discarded unused, so cards that look values up say they need a cluster.
    return {
      target: { kind: "sandbox", kubeconfig: null, context: null, server: null, describe: `${chosen.describe}; not started by this command`, record },
      env: base,
      targetArgs: [],
      reachable: false,
      sandbox: null,
      contexts: new Map(),
      close: async () => {},
    };
  }
  const { startSandbox } = await import("../sandbox/index.js");
  const sandbox = await startSandbox(options.fixture ? { fixture: options.fixture } : {});
  const scratch = mkdtempSync(join(tmpdir(), "rag-k8s-sandbox-"));
  try {
    const kubeconfig = join(scratch, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    // kubectl's discovery cache is per host:port; a throwaway sandbox must not leave one in ~/.kube.
    return {
      target: { kind: "sandbox", kubeconfig, context: null, server: sandbox.url, sandboxUrl: sandbox.url, describe: chosen.describe, record },
      env: { ...base, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(scratch, "cache") },
      targetArgs: [],
      reachable: true,
      sandbox,
      contexts: new Map(),
      async close() {
        await sandbox.close();
        rmSync(scratch, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await sandbox.close();
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
