import { healthOperation } from "../../../app/operations/index.js";
import { parseWith } from "../../../core/errors.js";
import { renderHealth } from "../../../health/index.js";
import { printJson, withRuntime } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

export interface HealthFlags {
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly budget?: number;
}

/** `rag-k8s health [-n NS | -A] [--budget N]`: exit 0 when the scan ran (whatever it found), 1 when a source could not be read. */
export async function runHealth(flags: HealthFlags, options: GlobalOptions): Promise<number> {
  // Bad input is rejected before the runtime (and possibly the sandbox) starts: exit 2, nothing touched.
  const input = parseWith(healthOperation.input, {
    ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
    ...(flags.allNamespaces ? { allNamespaces: true } : {}),
    ...(flags.budget !== undefined ? { budgetTokens: flags.budget } : {}),
  });
  return withRuntime(options, async (runtime) => {
    const report = await healthOperation.run(runtime, input, {});
    if (options.json) printJson(report);
    else process.stdout.write(`${renderHealth(report)}\n`);
    return report.unavailable.length > 0 ? EXIT.failed : EXIT.ok;
  });
}
