import { explainNamespace, formatNamespaceExplanation, formatPolicyProblem, lintPolicyDir, loadPolicy } from "../../../policy/index.js";
import { cliConfig, printJson } from "../context.js";
import { EXIT } from "../exit-codes.js";
import { UsageError } from "../errors.js";
import type { GlobalOptions } from "../options.js";

const NAMESPACE = /^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `rag-k8s policy show [-n NS]`: the rules in effect for one namespace (or, without -n, for cluster-scoped
 * objects) and which profile applies: listed by name, prod-like by name, or the conservative unlisted one.
 */
export function runPolicyShow(flags: { namespace?: string }, options: GlobalOptions): number {
  // Checked before it is printed back: a namespace is a DNS label, never terminal escapes or a path.
  if (flags.namespace !== undefined && !NAMESPACE.test(flags.namespace)) {
    throw new UsageError(`-n ${JSON.stringify(flags.namespace)} is not a namespace name (lowercase letters, digits and '-', at most 63 characters)`);
  }
  const { config } = cliConfig(options);
  const policy = loadPolicy(config.policy.dir);
  const explanation = explainNamespace(policy, flags.namespace ?? null);
  if (options.json) printJson({ policyDir: policy.dir, ...explanation });
  else process.stdout.write(`policy: ${policy.dir}\n${formatNamespaceExplanation(explanation)}\n`);
  return EXIT.ok;
}

/** `rag-k8s policy lint [DIR]`: file:line:col for every problem; exit 2 when there is any. */
export function runPolicyLint(dir: string | undefined, options: GlobalOptions): number {
  const folder = dir ?? cliConfig(options).config.policy.dir;
  const problems = lintPolicyDir(folder);
  if (options.json) printJson({ problems });
  else if (problems.length === 0) process.stdout.write(`${folder ?? "bundled policy"}: no problems\n`);
  else process.stdout.write(`${problems.map(formatPolicyProblem).join("\n")}\n${problems.length} problem${problems.length === 1 ? "" : "s"}\n`);
  return problems.length ? EXIT.usage : EXIT.ok;
}
