import type { Finding, HealthReport, NextOperation } from "./types.js";
import { SEVERITIES } from "./types.js";

function objectName(f: Finding): string {
  return `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name}`;
}

function operationLine(label: string, op: NextOperation): string {
  const approval = op.changesCluster ? ` (changes the cluster: ask the user first${op.decision === "confirm" ? "; policy asks for confirmation" : ""})` : "";
  return `  ${label}${approval}: ${op.cardId} ${JSON.stringify(op.request)}`;
}

export function renderFinding(f: Finding): string {
  return [
    `[${f.severity}] ${objectName(f)}: ${f.problem}`,
    ...f.evidence.map((e) => `  ${e}`),
    ...(f.next ? [operationLine("next", f.next)] : []),
    ...(f.fix ? [operationLine("fix", f.fix)] : []),
  ].join("\n");
}

function counts(record: Readonly<Record<string, number>>, zeroToo = false): string {
  return Object.entries(record)
    .filter(([, n]) => zeroToo || n > 0)
    .map(([what, n]) => `${n} ${what}`)
    .join(", ");
}

/** The report as text for a person or a model: one block per finding, then what did not fit or could not be read. */
export function renderHealth(report: HealthReport): string {
  const total = SEVERITIES.reduce((n, s) => n + report.totals[s], 0);
  const lines = [
    `Health of ${report.scope}: ${total === 0 ? "no problems found" : counts(report.totals, true)}. Checked ${counts(report.checked) || "nothing"}.`,
    ...report.findings.map(renderFinding),
  ];
  const omitted = SEVERITIES.reduce((n, s) => n + report.omitted[s], 0);
  if (omitted > 0) lines.push(`… ${omitted} more finding${omitted === 1 ? "" : "s"} not shown (${counts(report.omitted)}); scan one namespace for the rest`);
  for (const problem of report.unavailable) lines.push(`could not read ${problem.source}: ${problem.reason}`);
  if (report.notServed.length > 0) lines.push(`not served by this cluster: ${report.notServed.join(", ")}`);
  return lines.join("\n");
}
