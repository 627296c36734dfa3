import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { RuntimeOptions } from "../../../core/runtime.js";
import { formatReport, readEvalSet, runEval } from "../../../eval/index.js";
import type { EvalReport } from "../../../eval/index.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

export interface EvalFlags {
  readonly set: string[];
  /** Start the in-memory sandbox seeded with this fixture and look values up there. */
  readonly fixture?: string;
}

type Extra = Omit<RuntimeOptions, "config">;

/**
 * `rag-k8s eval --set FILE`: plans every case (nothing runs but read-only lookups) and prints accuracy per
 * planner. Cards that look values up (the newest ready pod for logs, a workload's selector) need a cluster:
 * --fixture FILE (a sandbox seeded with it), --sandbox (the default sandbox) or --kubeconfig. Without one,
 * planning never contacts a cluster and such cases answer needs_input.
 */
export async function runEvalCommand(flags: EvalFlags, options: GlobalOptions): Promise<number> {
  const cases = (await Promise.all(flags.set.map((file) => readEvalSet(file)))).flat();
  const score = (extra: Extra, opts: GlobalOptions = options): Promise<EvalReport> =>
    withRuntime(opts, (runtime) => runEval(cases, (request) => runtime.plan(request)), extra);
  let report: EvalReport;
  if (flags.fixture) report = await withFixtureSandbox(resolve(flags.fixture), options, score);
  else if (options.sandbox) report = await score({ sandbox: "always" });
  else if (options.kubeconfig) report = await score({ sandbox: "never" });
  else report = await score({ ...PLAN_ONLY, cluster: false });
  if (options.json) printJson({ ...report, outcomes: undefined });
  else process.stdout.write(`${formatReport(report)}\n`);
  return report.wrongCommands > 0 ? EXIT.failed : EXIT.ok;
}

async function withFixtureSandbox(
  fixture: string,
  options: GlobalOptions,
  score: (extra: Extra, opts: GlobalOptions) => Promise<EvalReport>,
): Promise<EvalReport> {
  const { startSandbox } = await import("../../../sandbox/index.js");
  const sandbox = await startSandbox({ fixture });
  const scratch = await mkdtemp(join(tmpdir(), "rag-k8s-eval-"));
  try {
    const kubeconfig = join(scratch, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    // kubectl's discovery cache is per host:port; a throwaway sandbox should not leave one in ~/.kube.
    const env = { ...process.env, KUBECACHEDIR: join(scratch, "cache") };
    return await score({ sandbox: "never", cluster: true, env }, { ...options, kubeconfig });
  } finally {
    await sandbox.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
