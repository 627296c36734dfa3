import { defaultMutationsPath, verifyAudit } from "../../../audit/index.js";
import type { AuditVerification } from "../../../audit/index.js";
import { stripTerminalEscapes } from "../../../executor/escapes.js";
import { cliConfig, printJson } from "../context.js";
import { EXIT } from "../exit-codes.js";
import type { GlobalOptions } from "../options.js";

const where = (at: { file: string; line: number }) => `${at.file}:${at.line}`;

/** The problems verification found, one line each, as a person reads them. */
function problems(report: AuditVerification): string[] {
  return [
    ...report.orphanIntents.map(
      (o) => `orphaned intent ${o.operationId} at ${where(o)} (${o.ts}, pid ${o.pid}, ${o.target}): ${o.argv.map((argv) => argv.join(" ")).join(" && ")} — it may have run without its result being recorded`,
    ),
    ...report.malformed.map((m) => `malformed line at ${where(m)}: ${m.reason}`),
    ...report.gaps.map((g) => `gap at ${where(g)}: writer ${g.writer} expected line ${g.expected}, found ${g.found} (lines lost, reordered or copied)`),
  ].map(stripTerminalEscapes);
}

/** `rag-k8s audit verify`: every mutation intent has its result, no line is torn, no writer's sequence jumps. */
export function runAuditVerify(options: GlobalOptions): number {
  const { config } = cliConfig(options);
  const path = config.audit.mutations.path ?? defaultMutationsPath(config.audit.path);
  const report = verifyAudit(path);
  if (options.json) printJson({ path, ...report });
  else {
    const summary = `${report.ok ? "OK" : "PROBLEMS"}  ${path}: ${report.intents} intents, ${report.results} results in ${report.files.length} file(s)`;
    const notes = report.unmatchedResults.length ? [`  (${report.unmatchedResults.length} results whose intent was pruned by retention; not a problem)`] : [];
    process.stdout.write(`${[summary, ...problems(report).map((p) => `  - ${p}`), ...notes].join("\n")}\n`);
  }
  return report.ok ? EXIT.ok : EXIT.failed;
}
