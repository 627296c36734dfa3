import type { ExecResponse } from "../core/response.js";
import type { EvalCase } from "./set.js";
import { caseRequest } from "./set.js";

export interface CaseOutcome {
  readonly id: string;
  readonly planner: string;
  readonly status: string;
  readonly command: string | null;
  /** Command matched (exact or regex) when one was expected; status matched when only a status was. */
  readonly correct: boolean;
  readonly decisionCorrect: boolean | null;
  /** A command was produced and allowed to run, but it is not the expected one. */
  readonly wrongCommand: boolean;
  readonly detail: string;
}

export interface EvalReport {
  readonly total: number;
  readonly correct: number;
  readonly wrongCommands: number;
  readonly byPlanner: Readonly<Record<string, { total: number; correct: number; exact: number; regex: number; decisions: number; decisionsCorrect: number }>>;
  readonly failures: readonly CaseOutcome[];
  readonly outcomes: readonly CaseOutcome[];
}

export function judge(c: EvalCase, response: ExecResponse): CaseOutcome {
  const command = response.plan?.command ?? null;
  const expect = c.expect;
  const expectsCommand = expect.command !== undefined || expect.commandRegex !== undefined;
  const commandMatches =
    expect.command !== undefined
      ? command === expect.command
      : expect.commandRegex !== undefined && command !== null && new RegExp(expect.commandRegex).test(command);
  const statusMatches = expect.status === undefined || response.status === expect.status;
  // A request that should have been refused but was answered is wrong whatever the answer.
  const correct = expect.error === undefined && (expectsCommand ? commandMatches && statusMatches : statusMatches);
  const decisionCorrect = expect.decision === undefined ? null : response.decision === expect.decision;
  const allowed = response.decision === "allow" || response.decision === "confirm";
  // The right command with the wrong status is a scoring miss, not a wrong command.
  const wrongCommand = command !== null && allowed && (!expectsCommand || !commandMatches);
  const problems: string[] = [];
  if (expect.error !== undefined) {
    problems.push(`expected the request to be refused (${expect.error}), got ${command ?? response.status}${response.message ? `: ${response.message}` : ""}`);
  } else if (!correct) {
    problems.push(`expected ${expect.command ?? expect.commandRegex ?? expect.status}${expectsCommand && expect.status ? ` (${expect.status})` : ""}, got ${command ?? response.status}${command !== null ? ` (${response.status})` : ""}${response.message ? `: ${response.message}` : ""}`);
  }
  if (decisionCorrect === false) problems.push(`expected decision ${expect.decision}, got ${response.decision ?? "none"}`);
  return {
    id: c.id ?? "?",
    // A structured request is planned from its card even when no plan came back (e.g. a lookup found nothing).
    planner: response.plan?.planner ?? (c.request?.["intent"] !== undefined ? "template" : response.status === "needs_input" ? "goal-parser" : "none"),
    status: response.status,
    command,
    correct: correct && decisionCorrect !== false,
    decisionCorrect,
    wrongCommand,
    detail: problems.join("; "),
  };
}

/** Plans every case (nothing is executed) and scores the plans. */
export async function runEval(cases: readonly EvalCase[], plan: (request: unknown) => Promise<ExecResponse>): Promise<EvalReport> {
  const outcomes: CaseOutcome[] = [];
  for (const c of cases) {
    try {
      outcomes.push(judge(c, await plan(caseRequest(c))));
    } catch (error) {
      const message = (error as Error).message;
      const { expect } = c;
      const rejected =
        expect.error !== undefined
          ? message.includes(expect.error)
          : expect.status === undefined && expect.command === undefined && expect.commandRegex === undefined;
      outcomes.push({ id: c.id ?? "?", planner: "none", status: "rejected", command: null, correct: rejected, decisionCorrect: null, wrongCommand: false, detail: message });
    }
  }
  const byPlanner: Record<string, { total: number; correct: number; exact: number; regex: number; decisions: number; decisionsCorrect: number }> = {};
  for (const [i, o] of outcomes.entries()) {
    const c = cases[i];
    const row = (byPlanner[o.planner] ??= { total: 0, correct: 0, exact: 0, regex: 0, decisions: 0, decisionsCorrect: 0 });
    row.total++;
    if (o.correct) row.correct++;
    if (o.correct && c?.expect.command !== undefined) row.exact++;
    if (o.correct && c?.expect.commandRegex !== undefined) row.regex++;
    if (o.decisionCorrect !== null) {
      row.decisions++;
      if (o.decisionCorrect) row.decisionsCorrect++;
    }
  }
  return {
    total: outcomes.length,
    correct: outcomes.filter((o) => o.correct).length,
    wrongCommands: outcomes.filter((o) => o.wrongCommand).length,
    byPlanner,
    failures: outcomes.filter((o) => !o.correct),
    outcomes,
  };
}

const pct = (n: number, d: number) => (d === 0 ? "–" : `${((100 * n) / d).toFixed(1)}%`);

export function formatReport(report: EvalReport): string {
  const lines = [
    "| planner | cases | correct | exact | regex | decision accuracy |",
    "|---|---|---|---|---|---|",
    ...Object.entries(report.byPlanner).map(
      ([planner, r]) => `| ${planner} | ${r.total} | ${pct(r.correct, r.total)} | ${r.exact} | ${r.regex} | ${pct(r.decisionsCorrect, r.decisions)} |`,
    ),
    `| **all** | ${report.total} | ${pct(report.correct, report.total)} | | | |`,
    "",
    `wrong commands that policy would have let run: ${report.wrongCommands}`,
  ];
  if (report.failures.length) {
    lines.push("", "failures:");
    for (const f of report.failures.slice(0, 50)) lines.push(`- ${f.id}: ${f.detail}`);
  }
  return lines.join("\n");
}

export interface SetVerdict {
  readonly file: string;
  readonly total: number;
  readonly correct: number;
  readonly wrongCommands: number;
  /** correct / total (1 for an empty set). */
  readonly accuracy: number;
  readonly minAccuracy: number;
  /** At or above its threshold and no wrong command that policy would have let run. */
  readonly passed: boolean;
}

/** Scores one set against its threshold: a wrong command policy would let run fails a set whatever the threshold. */
export function gradeSet(file: string, report: EvalReport, minAccuracy: number): SetVerdict {
  const accuracy = report.total === 0 ? 1 : report.correct / report.total;
  return {
    file,
    total: report.total,
    correct: report.correct,
    wrongCommands: report.wrongCommands,
    accuracy,
    minAccuracy,
    passed: accuracy >= minAccuracy && report.wrongCommands === 0,
  };
}

export function formatVerdicts(verdicts: readonly SetVerdict[]): string {
  return verdicts
    .map((v) => `${v.passed ? "PASS" : "FAIL"}  ${v.file}: ${pct(v.correct, v.total)} correct (threshold ${(v.minAccuracy * 100).toFixed(1)}%)${v.wrongCommands ? `, ${v.wrongCommands} wrong command(s) policy would have let run` : ""}`)
    .join("\n");
}
