import { formatReport, readEvalSet, runEval } from "../../../eval/index.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

/** `rag-k8s eval --set FILE`: plans every case (nothing runs) and prints accuracy per planner. */
export async function runEvalCommand(flags: { set: string[] }, options: GlobalOptions): Promise<number> {
  const cases = (await Promise.all(flags.set.map((file) => readEvalSet(file)))).flat();
  const report = await withRuntime(options, (runtime) => runEval(cases, (request) => runtime.plan(request)), PLAN_ONLY);
  if (options.json) printJson({ ...report, outcomes: undefined });
  else process.stdout.write(`${formatReport(report)}\n`);
  return report.wrongCommands > 0 ? EXIT.failed : EXIT.ok;
}
