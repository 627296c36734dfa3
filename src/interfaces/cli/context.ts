import { loadConfig } from "../../config/index.js";
import type { Config } from "../../config/index.js";
import type { RagK8s, RuntimeOptions } from "../../app/runtime.js";
import type { GlobalOptions } from "./options.js";

/** The effective configuration: defaults < file < .env < environment < command-line flags. */
export function cliConfig(options: GlobalOptions) {
  const kube: Partial<Config["kube"]> = {};
  if (options.kubeconfig) kube.kubeconfig = options.kubeconfig;
  if (options.context) kube.context = options.context;
  const cards: Partial<Config["cards"]> = {};
  if (options.cards?.length) cards.dirs = options.cards;
  if (options.bundledCards === false) cards.bundled = false;
  const policy: Partial<Config["policy"]> = {};
  if (options.policy) policy.dir = options.policy;
  if (options.readOnly) policy.readOnly = true;
  if (options.disableDestructive) policy.disableDestructive = true;
  return loadConfig({
    ...(options.config ? { file: options.config } : {}),
    overrides: {
      ...(Object.keys(cards).length ? { cards } : {}),
      ...(Object.keys(kube).length ? { kube } : {}),
      ...(Object.keys(policy).length ? { policy } : {}),
    },
  });
}

export type RuntimeExtra = Omit<RuntimeOptions, "config">;

/**
 * Planning contacts a cluster only for cards that look values up (e.g. a workload's newest ready pod), so
 * plan-only commands start the sandbox only when --sandbox asks for it.
 */
export const PLAN_ONLY: RuntimeExtra = { sandbox: "never" };

/** A runtime from the app root, for the command line's global options (and their configuration, if already loaded). */
export async function openRuntime(options: GlobalOptions, extra: RuntimeExtra = {}, loaded: ReturnType<typeof cliConfig> = cliConfig(options)): Promise<RagK8s> {
  const { config, sources } = loaded;
  // Imported here so that validate, config and cards commands do not load the executor, sandbox and planners.
  const { createRagK8s } = await import("../../app/runtime.js");
  // An explicit --sandbox always wins; otherwise the command's default ("auto", or "never" for plan-only ones).
  return createRagK8s({ config, sources, ...extra, sandbox: options.sandbox ? "always" : (extra.sandbox ?? "auto") });
}

export async function withRuntime<T>(options: GlobalOptions, work: (runtime: RagK8s) => Promise<T>, extra: RuntimeExtra = {}): Promise<T> {
  const runtime = await openRuntime(options, extra);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
