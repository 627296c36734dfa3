import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { startSandbox } from "../../../sandbox/index.js";
import { forgetSandbox, recordSandbox, sandboxStateDir } from "../../../target/index.js";
import { printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";
import { compileValidatorsFromNowOn } from "../validators.js";

export interface SandboxFlags {
  readonly port?: number;
  /** An extra copy of the kubeconfig, e.g. for tools that are not rag-k8s. */
  readonly kubeconfigOut?: string;
  readonly fixture?: string;
}

function untilStopped(): Promise<void> {
  return new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

/**
 * Runs the in-memory cluster until SIGINT/SIGTERM. Its kubeconfig goes to the sandbox state folder and the
 * process records itself there, so later commands without another target use this sandbox (and its state)
 * instead of a fresh one-shot sandbox; the record is removed when it stops.
 */
export async function runSandbox(flags: SandboxFlags, options: GlobalOptions): Promise<number> {
  const sandbox = await startSandbox({
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.fixture ? { fixture: resolve(flags.fixture) } : {}),
  });
  compileValidatorsFromNowOn();
  const stopped = untilStopped();
  const kubeconfig = join(sandboxStateDir(), `kubeconfig-${process.pid}.yaml`);
  try {
    mkdirSync(sandboxStateDir(), { recursive: true, mode: 0o700 });
    // Written before the record, so whoever finds the record finds the kubeconfig.
    await sandbox.writeKubeconfig(kubeconfig);
    recordSandbox({ pid: process.pid, url: sandbox.url, kubeconfig, startedAt: new Date().toISOString() });
    const copy = flags.kubeconfigOut ? resolve(flags.kubeconfigOut) : null;
    if (copy) await sandbox.writeKubeconfig(copy);
    if (options.json) printJson({ url: sandbox.url, kubeconfig, ...(copy ? { kubeconfigCopy: copy } : {}), pid: process.pid });
    else {
      process.stdout.write(
        [
          `sandbox cluster listening on ${sandbox.url} (pid ${process.pid})`,
          `kubeconfig: ${kubeconfig}${copy ? ` (copy: ${copy})` : ""}`,
          "",
          "Later rag-k8s commands with no other target (no --kubeconfig, KUBECONFIG, kube.kubeconfig or ~/.kube/config) use it, and keep its state:",
          "  rag-k8s exec --intent scale --resource deployment -n staging --name web --replicas 5 --confirm",
          `  KUBECONFIG=${kubeconfig} kubectl get deployments -n staging`,
          "",
          "Ctrl-C stops it (state lives in memory and is gone afterwards).",
        ].join("\n") + "\n",
      );
    }
    await stopped;
  } finally {
    forgetSandbox(process.pid);
    rmSync(kubeconfig, { force: true });
    await sandbox.close();
  }
  return 0;
}
