import { resolve } from "node:path";
import { startSandbox } from "../../../sandbox/index.js";
import { printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";

export interface SandboxFlags {
  readonly port?: number;
  readonly kubeconfigOut: string;
  readonly fixture?: string;
}

/** Runs the in-memory cluster until interrupted and writes a kubeconfig that points kubectl at it. */
export async function runSandbox(flags: SandboxFlags, options: GlobalOptions): Promise<number> {
  const sandbox = await startSandbox({
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.fixture ? { fixture: resolve(flags.fixture) } : {}),
  });
  const kubeconfig = resolve(flags.kubeconfigOut);
  await sandbox.writeKubeconfig(kubeconfig);
  if (options.json) printJson({ url: sandbox.url, kubeconfig });
  else {
    process.stdout.write(
      [
        `sandbox cluster listening on ${sandbox.url}`,
        `kubeconfig written to ${kubeconfig}`,
        "",
        "try:",
        `  KUBECONFIG=${kubeconfig} kubectl get deployments -n prod`,
        `  KUBECONFIG=${kubeconfig} rag-k8s exec --intent restart --resource deployment -n prod --name web`,
        "",
        "Ctrl-C stops it (state lives in memory and is gone afterwards).",
      ].join("\n") + "\n",
    );
  }
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await sandbox.close();
  return 0;
}
