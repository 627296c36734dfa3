import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { KubeConfig } from "@kubernetes/client-node";
import { packageRoot } from "../../package-root.js";

type KubeConfigModule = { readonly KubeConfig: typeof KubeConfig };

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
    if (existsSync(vendored)) return (await import(pathToFileURL(vendored).href)) as KubeConfigModule;
    return import("@kubernetes/client-node");
  })();
  return loaded;
}
