import { resolve } from "node:path";
import { formatReport, readEvalSet, runEval } from "../../../eval/index.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import type { RuntimeExtra } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

export interface EvalFlags {
  readonly set: string[];
  /** Start the in-memory sandbox seeded with this fixture and look values up there. */
  readonly fixture?: string;
}

/** Where eval's read-only lookups go: a sandbox seeded with --fixture, the --sandbox, --kubeconfig, or nowhere. */
function evalTarget(flags: EvalFlags, options: GlobalOptions): RuntimeExtra {
  if (flags.fixture) return { sandbox: "always", fixture: resolve(flags.fixture), cluster: true };
  if (options.sandbox) return { sandbox: "always" };
  if (options.kubeconfig) return { sandbox: "never" };
  return { ...PLAN_ONLY, cluster: false };
}

/**
 * `rag-k8s eval --set FILE`: plans every case (nothing runs but read-only lookups) and prints accuracy per
 * planner. Cards that look values up (the newest ready pod for logs, a workload's selector) need a cluster:
 * --fixture FILE (a sandbox seeded with it), --sandbox (the default sandbox) or --kubeconfig. Without one,
 * planning never contacts a cluster and such cases answer needs_input.
 */
export async function runEvalCommand(flags: EvalFlags, options: GlobalOptions): Promise<number> {
  const cases = (await Promise.all(flags.set.map((file) => readEvalSet(file)))).flat();
  const report = await withRuntime(options, (runtime) => runEval(cases, (request) => runtime.plan(request)), evalTarget(flags, options));
  if (options.json) printJson({ ...report, outcomes: undefined });
  else process.stdout.write(`${formatReport(report)}\n`);
  return report.wrongCommands > 0 ? EXIT.failed : EXIT.ok;
}
