import { validateOperation } from "../../../app/operations/index.js";
import { parseWith } from "../../../core/errors.js";
import { effectivePolicy } from "../../../app/policy.js";
import { validateCommand } from "../../../policy/index.js";
import { cliConfig, printJson } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

const EXIT_BY_DECISION = { allow: EXIT.ok, confirm: EXIT.confirm, deny: EXIT.deny } as const;

export async function runValidate(command: string, flags: { namespace?: string }, options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const input = parseWith(validateOperation.input, { command, ...(flags.namespace !== undefined ? { namespace: flags.namespace } : {}) });
  const policy = effectivePolicy(config);
  const verdict = await validateOperation.run({ validate: (c, o) => validateCommand(c, policy, o) }, input, {});
  if (options.json) printJson(verdict);
  else {
    const lines = [`${verdict.decision.toUpperCase()}  risk ${verdict.risk}${verdict.readOnly ? ", read-only" : ""}`];
    for (const reason of verdict.reasons) lines.push(`  - [${reason.code}] ${reason.message}`);
    for (const suggestion of verdict.suggestions) lines.push(`  try: ${suggestion}`);
    if (verdict.decision !== "deny") lines.push(`  argv: ${JSON.stringify(verdict.argv)}`);
    if (verdict.next) lines.push(`  ${verdict.next}`);
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  return EXIT_BY_DECISION[verdict.decision];
}
