import { existsSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { delimiter, join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Cluster, Context, KubeConfig, User } from "@kubernetes/client-node";
import { importExternal } from "../../external-import.js";
import { packageRoot } from "../../package-root.js";
import { parseThinKubeconfig } from "./kubeconfig-thin.js";
import type { ThinCluster, ThinContext, ThinUser } from "./kubeconfig-thin.js";
import { KubeconfigError } from "./target.js";

type KubeConfigModule = { readonly KubeConfig: typeof KubeConfig };

/** What the API executor uses of a loaded kubeconfig: client-node's KubeConfig, or the thin loader's for common shapes. */
export interface LoadedKubeconfig {
  getCurrentContext(): string;
  setCurrentContext(name: string): void;
  getContextObject(name: string): Context | ThinContext | null;
  getCurrentCluster(): Cluster | ThinCluster | null;
  getCurrentUser(): User | ThinUser | null;
  applyToHTTPSOptions(opts: RequestOptions): Promise<void>;
}

/** Where `npm run build` writes client-node's KubeConfig bundled on its own (≈ 1 MB instead of its 47 MB package). */
export const VENDORED_KUBECONFIG = join("dist", "vendor", "kubeconfig.mjs");

let loaded: Promise<KubeConfigModule> | undefined;

/**
 * client-node's KubeConfig (contexts, client certificates, tokens, exec credential plugins, proxies), loaded on first
 * use: only processes that talk to a cluster pay for it. The installed package uses the copy bundled at build time;
 * a source checkout without a build uses @kubernetes/client-node itself (a dev dependency).
 */
export function loadKubeConfigModule(): Promise<KubeConfigModule> {
  loaded ??= (async () => {
    const vendored = join(packageRoot(), VENDORED_KUBECONFIG);
    return importExternal<KubeConfigModule>(existsSync(vendored) ? pathToFileURL(vendored).href : "@kubernetes/client-node");
  })();
  return loaded;
}

/**
 * The kubeconfig (a file, or a KUBECONFIG-style list merged as kubectl merges it: missing files skipped, the first
 * current-context wins; undefined = client-node's default search) with `context` made current. Common shapes
 * (server, CA, token or client certificate) are read by the thin loader; exec plugins, auth providers, proxies and
 * anything unusual by client-node, so both give the same TLS options and headers.
 */
export async function loadKubeconfig(kubeconfig: string | undefined, context: string | undefined): Promise<LoadedKubeconfig> {
  const files = kubeconfig?.split(delimiter).filter((f) => f !== "");
  const present = files?.filter((f) => files.length === 1 || existsSync(f));
  // None there: the first one, for client-node to say it is missing.
  const chosen = files && present?.length === 0 ? files.slice(0, 1) : present;
  const kc = (chosen && parseThinKubeconfig(chosen)) || (await loadFull(chosen));
  if (context !== undefined) {
    if (!kc.getContextObject(context)) throw new KubeconfigError(`context "${context}" is not in the kubeconfig`);
    kc.setCurrentContext(context);
  }
  return kc;
}

async function loadFull(files: readonly string[] | undefined): Promise<KubeConfig> {
  const { KubeConfig } = await loadKubeConfigModule();
  const kc = new KubeConfig();
  if (files === undefined) {
    kc.loadFromDefault();
    return kc;
  }
  const [first = "", ...rest] = files;
  kc.loadFromFile(first);
  for (const file of rest) {
    const more = new KubeConfig();
    more.loadFromFile(file);
    kc.mergeConfig(more, true);
  }
  return kc;
}
