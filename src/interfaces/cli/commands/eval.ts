import { resolve } from "node:path";
import { discardingAuditLog, formatReport, formatVerdicts, gradeSet, readEvalSetFile, runEval } from "../../../eval/index.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import type { RuntimeExtra } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

export interface EvalFlags {
  readonly set: string[];
  /** Start the in-memory sandbox seeded with this fixture and look values up there. */
  readonly fixture?: string;
  /** Overrides every set's own threshold; default: the set's, else 1 (every case right). */
  readonly minAccuracy?: number;
}

/** Where eval's read-only lookups go: a sandbox seeded with --fixture, the --sandbox, --kubeconfig, or nowhere. */
function evalTarget(flags: EvalFlags, options: GlobalOptions): RuntimeExtra {
  if (flags.fixture) return { sandbox: "always", fixture: resolve(flags.fixture), cluster: true };
  if (options.sandbox) return { sandbox: "always" };
  if (options.kubeconfig) return { sandbox: "never" };
  return { ...PLAN_ONLY, cluster: false };
}

/**
 * `rag-k8s eval --set FILE`: plans every case (nothing runs but read-only lookups, and nothing is written to the
 * audit log) and prints accuracy per planner, then per set against its threshold: exit 1 when a set is below
 * it or has a wrong command policy would have let run. Cards that look values up (the newest ready pod for
 * logs, a workload's selector) need a cluster: --fixture FILE (a sandbox seeded with it), --sandbox (the
 * default sandbox) or --kubeconfig. Without one, planning never contacts a cluster and such cases answer needs_input.
 */
export async function runEvalCommand(flags: EvalFlags, options: GlobalOptions): Promise<number> {
  const sets = await Promise.all(flags.set.map((file) => readEvalSetFile(file)));
  const extra: RuntimeExtra = { ...evalTarget(flags, options), audit: discardingAuditLog() };
  const reports = await withRuntime(options, async (runtime) => {
    const plan = (request: unknown) => runtime.plan(request);
    const out = [];
    for (const set of sets) out.push({ set, report: await runEval(set.cases, plan) });
    return out;
  }, extra);
  const verdicts = reports.map(({ set, report }) => gradeSet(set.file, report, flags.minAccuracy ?? set.minAccuracy ?? 1));
  if (options.json) printJson({ sets: reports.map(({ report }, i) => ({ ...verdicts[i], report: { ...report, outcomes: undefined } })) });
  else {
    for (const { set, report } of reports) process.stdout.write(`## ${set.file}\n\n${formatReport(report)}\n\n`);
    process.stdout.write(`${formatVerdicts(verdicts)}\n`);
  }
  return verdicts.every((v) => v.passed) ? EXIT.ok : EXIT.failed;
}
