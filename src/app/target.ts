import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { Config } from "../config/index.js";
import type { Sandbox } from "../sandbox/index.js";

/** Environment variables kubectl and its credential plugins may need; nothing else reaches the child. */
const PASSED_ENV = /^(PATH|HOME|USER|LANG|LC_[A-Z]+|TZ|TMPDIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|AWS_[A-Z_]+|AZURE_[A-Z_]+|GOOGLE_[A-Z_]+|CLOUDSDK_[A-Z_]+|USE_GKE_GCLOUD_AUTH_PLUGIN|KUBECACHEDIR)$/;

export type TargetKind = "sandbox" | "cluster";

/** The cluster operations go to, as the faces report it. */
export interface Target {
  readonly kind: TargetKind;
  readonly kubeconfig: string | null;
  readonly context: string | null;
  readonly sandboxUrl?: string;
}

/** A target ready to use: what the executor's children get, and whether planning may look values up there. */
export interface OpenTarget {
  readonly target: Target;
  /** The only environment kubectl receives. */
  readonly env: Record<string, string>;
  /** Target arguments the gate appends after validation (--context). */
  readonly targetArgs: readonly string[];
  /** Whether a cluster is there to look card values up in while planning. */
  readonly reachable: boolean;
  readonly sandbox: Sandbox | null;
  close(): Promise<void>;
}

export interface TargetOptions {
  /** "auto": the sandbox when no kubeconfig is configured and ~/.kube/config does not exist. */
  readonly sandbox?: "auto" | "always" | "never";
  /** Seed for a sandbox this call starts (a fixture file); default the bundled fixture. */
  readonly fixture?: string;
  readonly env?: NodeJS.ProcessEnv;
}

function childEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && PASSED_ENV.test(key)) out[key] = value;
  return out;
}

/** config → target: the sandbox (started here, with its own kubeconfig and discovery cache) or the configured cluster. */
export async function openTarget(config: Config, options: TargetOptions = {}): Promise<OpenTarget> {
  const env = options.env ?? process.env;
  const base = childEnv(env);
  const hasDefaultKubeconfig = existsSync(join(env["HOME"] ?? homedir(), ".kube", "config"));
  const mode = options.sandbox ?? "auto";
  const useSandbox = mode === "always" || (mode === "auto" && config.kube.kubeconfig === undefined && !hasDefaultKubeconfig);
  if (!useSandbox) {
    if (config.kube.kubeconfig) base["KUBECONFIG"] = config.kube.kubeconfig;
    const context = config.kube.context ?? null;
    return {
      target: { kind: "cluster", kubeconfig: config.kube.kubeconfig ?? null, context },
      env: base,
      targetArgs: context ? ["--context", context] : [],
      reachable: config.kube.kubeconfig !== undefined || hasDefaultKubeconfig,
      sandbox: null,
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
      target: { kind: "sandbox", kubeconfig, context: null, sandboxUrl: sandbox.url },
      env: { ...base, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(scratch, "cache") },
      targetArgs: [],
      reachable: true,
      sandbox,
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
