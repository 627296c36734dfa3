import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { readKubeconfig } from "./kubeconfig.js";
import { runningSandbox } from "./sandbox-state.js";

type Env = Record<string, string | undefined>;

/** Where a command will run. Every face prints `describe` and every response and audit line carries `id`. */
export type Target =
  | {
      readonly kind: "sandbox";
      /** one-shot: started for this process and discarded with it; running: a long-lived `rag-k8s sandbox`. */
      readonly mode: "one-shot" | "running";
      /** For a running sandbox: its kubeconfig and URL. A one-shot sandbox gets both when it starts. */
      readonly kubeconfig: string | null;
      readonly server: string | null;
      readonly id: string;
      readonly describe: string;
    }
  | {
      readonly kind: "cluster";
      /** The KUBECONFIG value handed to kubectl (a list of files, like PATH). */
      readonly kubeconfig: string;
      /** The context used: the one asked for, else the kubeconfig's current-context. */
      readonly context: string;
      /** Whether rag-k8s must add --context (a context was asked for explicitly). */
      readonly contextExplicit: boolean;
      readonly server: string | null;
      /** What chose the kubeconfig: "flag", "env:KUBECONFIG", "file:…", "~/.kube/config". */
      readonly source: string;
      readonly id: string;
      readonly describe: string;
    };

export interface TargetRequest {
  /** config.kube.kubeconfig / config.kube.context with where each came from (loadConfig's `sources`). */
  readonly kubeconfig?: { readonly value: string; readonly source: string };
  readonly context?: { readonly value: string; readonly source: string };
  /** --sandbox was given. */
  readonly sandbox?: boolean;
  /**
   * The caller seeds the sandbox it starts (a fixture): a running `rag-k8s sandbox` holds other state, so it is
   * not reused and a one-shot sandbox is chosen instead.
   */
  readonly seededSandbox?: boolean;
  readonly env?: Env;
}

export type TargetResult = { readonly ok: true; readonly target: Target } | { readonly ok: false; readonly kind: "usage" | "environment"; readonly message: string };

const ONE_SHOT = "sandbox (one-shot: started for this command, its changes are discarded when it ends; run `rag-k8s sandbox` in another terminal to keep one)";

function sandboxTarget(env: Env, reuseRunning: boolean): Target {
  const running = reuseRunning ? runningSandbox(env) : null;
  if (running) {
    return { kind: "sandbox", mode: "running", kubeconfig: running.kubeconfig, server: running.url, id: `sandbox@${running.url}`, describe: `sandbox at ${running.url} (the running \`rag-k8s sandbox\`, pid ${running.pid})` };
  }
  return { kind: "sandbox", mode: "one-shot", kubeconfig: null, server: null, id: "sandbox", describe: ONE_SHOT };
}

function sourceLabel(source: string, home: string): string {
  return source.replace(home, "~");
}

/**
 * Resolves the target once, in this order: flags, environment, config file, ~/.kube/config, a running
 * `rag-k8s sandbox`, a one-shot sandbox. Conflicting or dangling choices are errors that say what to fix, so a
 * person with a real kubeconfig is never surprised about where a command ran.
 */
export function resolveTarget(request: TargetRequest): TargetResult {
  const env = request.env ?? process.env;
  const home = env["HOME"] || homedir();
  const { kubeconfig, context } = request;
  if (request.sandbox) {
    if (kubeconfig?.source === "flag") return { ok: false, kind: "usage", message: "--sandbox and --kubeconfig name two different targets; give one of them" };
    if (context?.source === "flag") return { ok: false, kind: "usage", message: "--context selects a context of a kubeconfig; the sandbox has none. Drop --context or --sandbox" };
    return { ok: true, target: sandboxTarget(env, request.seededSandbox !== true) };
  }
  const defaultFile = join(home, ".kube", "config");
  const chosen = kubeconfig ?? (existsSync(defaultFile) ? { value: defaultFile, source: "~/.kube/config" } : undefined);
  if (!chosen) {
    if (context) {
      return { ok: false, kind: "usage", message: `a context (${context.value}, from ${context.source}) needs a kubeconfig, and none is configured: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config` };
    }
    return { ok: true, target: sandboxTarget(env, request.seededSandbox !== true) };
  }
  const files = chosen.value.split(delimiter).filter((f) => f !== "");
  const read = readKubeconfig(files);
  if (!read.ok) return { ok: false, kind: "environment", message: `${read.message} (kubeconfig from ${sourceLabel(chosen.source, home)}); fix the path, or pass --sandbox to use the built-in sandbox` };
  const names = [...read.summary.contexts.keys()];
  const contextName = context?.value ?? read.summary.currentContext;
  if (!contextName) {
    return { ok: false, kind: "environment", message: `kubeconfig ${chosen.value} sets no current-context; pass --context with one of: ${names.join(", ") || "(it defines no contexts)"}` };
  }
  const entry = read.summary.contexts.get(contextName);
  if (!entry) {
    return { ok: false, kind: context ? "usage" : "environment", message: `context "${contextName}" is not in kubeconfig ${chosen.value}; its contexts: ${names.join(", ") || "(none)"}` };
  }
  const server = entry.server;
  return {
    ok: true,
    target: {
      kind: "cluster",
      kubeconfig: chosen.value,
      context: contextName,
      contextExplicit: context !== undefined,
      server,
      source: chosen.source,
      id: `${contextName}@${server ?? "unknown-server"}`,
      describe: `context ${contextName} @ ${server ?? "(no server in kubeconfig)"} (from ${sourceLabel(chosen.source, home)})`,
    },
  };
}
