import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecResponse, ExecStatus } from "../../src/core/response.js";
import { EvalSetError, formatReport, judge, readEvalSet, runEval } from "../../src/eval/index.js";
import type { EvalCase } from "../../src/eval/index.js";
import type { PlannerKind } from "../../src/planner/types.js";

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-eval-"));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function setFile(name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

async function rejection(file: string): Promise<EvalSetError> {
  const error = await readEvalSet(file).then(
    () => assert.fail(`${file} was accepted`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EvalSetError, String(error));
  return error;
}

const ok = '{"id": "a", "goal": "restart deployment web in staging", "expect": {"status": "needs_input"}}';

test("readEvalSet reads cases, skips blank and // lines, and ids unnamed cases by file:line", async () => {
  const file = setFile("good.jsonl", [ok, "", "// a comment", '{"request": {"intent": "status"}, "expect": {"decision": "allow"}}']);
  const cases = await readEvalSet(file);
  assert.equal(cases.length, 2);
  assert.equal(cases[0]?.id, "a");
  assert.equal(cases[1]?.id, `${file}:4`);
});

test("readEvalSet names file:line for a line that is not JSON", async () => {
  const file = setFile("bad-json.jsonl", [ok, ok, '{"goal": "x", "expect": {']);
  const error = await rejection(file);
  assert.match(error.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: not JSON`));
});

test("readEvalSet names file:line and the field for a case that breaks the schema", async () => {
  const unknownKey = await rejection(setFile("bad-key.jsonl", [ok, '{"goal": "x", "expect": {"comand": "kubectl get pods"}}']));
  assert.match(unknownKey.message, /bad-key\.jsonl:2: expect: .*comand/);
  const both = await rejection(setFile("both.jsonl", ['{"goal": "x", "request": {}, "expect": {}}']));
  assert.match(both.message, /both\.jsonl:1: .*exactly one of request or goal/);
  const badStatus = await rejection(setFile("bad-status.jsonl", ['{"goal": "x", "expect": {"status": "done"}}']));
  assert.match(badStatus.message, /bad-status\.jsonl:1: expect\.status/);
});

test("readEvalSet says which file cannot be read", async () => {
  const error = await rejection(join(dir, "missing.jsonl"));
  assert.match(error.message, /cannot read .*missing\.jsonl: ENOENT/);
});

function response(status: ExecStatus, command: string | null, decision: ExecResponse["decision"] = null, planner: PlannerKind = "goal-parser"): ExecResponse {
  return {
    operationId: "op",
    status,
    executed: false,
    dryRun: false,
    plan: command === null
      ? null
      : { intent: "restart", resource: "deployment", namespace: "staging", target: "web", selector: null, command, commands: [command], steps: [command.split(" ")], summary: "", cardId: null, planner },
    validation: null,
    decision,
    risk: null,
    result: null,
    steps: [],
    stdout: "",
    stderr: "",
    message: status === "needs_input" ? "missing namespace" : "",
    timings: { retrieveMs: 0, planMs: 0, resolveMs: 0, validateMs: 0, execMs: 0, totalMs: 0 },
  };
}

const RESTART = "kubectl rollout restart deployment/web -n staging";
const c = (id: string, expect: EvalCase["expect"]): EvalCase => ({ id, goal: "g", expect });

test("judge: exact command, regex, status and decision", () => {
  assert.equal(judge(c("exact", { command: RESTART }), response("planned", RESTART, "allow")).correct, true);
  const wrong = judge(c("exact-wrong", { command: RESTART }), response("planned", `${RESTART} --x`, "allow"));
  assert.equal(wrong.correct, false);
  assert.equal(wrong.wrongCommand, true);
  assert.match(wrong.detail, /expected kubectl rollout restart deployment\/web -n staging, got .* --x/);

  assert.equal(judge(c("regex", { commandRegex: "^kubectl rollout restart deployment/\\w+ -n staging$" }), response("planned", RESTART, "allow")).correct, true);
  assert.equal(judge(c("regex-miss", { commandRegex: "-n prod$" }), response("planned", RESTART, "allow")).wrongCommand, true);

  assert.equal(judge(c("status", { status: "needs_input" }), response("needs_input", null)).correct, true);
  const planned = judge(c("status-plan", { status: "needs_input" }), response("planned", RESTART, "allow"));
  assert.deepEqual([planned.correct, planned.wrongCommand], [false, true]);

  const decision = judge(c("decision", { command: RESTART, decision: "confirm" }), response("planned", RESTART, "allow"));
  assert.deepEqual([decision.correct, decision.decisionCorrect, decision.wrongCommand], [false, false, false]);
  assert.match(decision.detail, /expected decision confirm, got allow/);
});

test("judge: the right command with the wrong status is a miss, not a wrong command", () => {
  const outcome = judge(c("status-mismatch", { command: RESTART, status: "awaiting_confirmation" }), response("planned", RESTART, "allow"));
  assert.deepEqual([outcome.correct, outcome.wrongCommand], [false, false]);
});

test("judge: a denied plan is never counted as a wrong command", () => {
  const outcome = judge(c("denied", { status: "needs_input" }), response("denied", "kubectl delete ns prod", "deny"));
  assert.deepEqual([outcome.correct, outcome.wrongCommand], [false, false]);
});

test("runEval scores per planner, counts exact/regex/decisions, and treats a throw as a rejection", async () => {
  const cases: EvalCase[] = [
    c("e1", { command: RESTART }),
    c("e2", { command: RESTART }),
    c("r1", { commandRegex: "^kubectl rollout restart" }),
    c("s1", { status: "needs_input" }),
    c("d1", { decision: "deny" }),
    c("x1", {}),
  ];
  const responses: Record<string, ExecResponse> = {
    e1: response("planned", RESTART, "allow", "template"),
    e2: response("planned", "kubectl scale deployment/web -n staging --replicas=2", "confirm", "template"),
    r1: response("planned", RESTART, "allow"),
    s1: response("needs_input", null),
    d1: response("denied", "kubectl delete pod web-0 -n prod", "deny", "template"),
  };
  let i = 0;
  const report = await runEval(cases, async () => {
    const id = cases[i++]?.id ?? "";
    const r = responses[id];
    if (!r) throw new Error("invalid request: intent is required");
    return r;
  });
  assert.equal(report.total, 6);
  assert.equal(report.correct, 5);
  assert.equal(report.wrongCommands, 1);
  assert.deepEqual(report.failures.map((f) => f.id), ["e2"]);
  assert.deepEqual(report.byPlanner["template"], { total: 3, correct: 2, exact: 1, regex: 0, decisions: 1, decisionsCorrect: 1 });
  assert.deepEqual(report.byPlanner["goal-parser"], { total: 2, correct: 2, exact: 0, regex: 1, decisions: 0, decisionsCorrect: 0 });
  assert.equal(report.byPlanner["none"]?.total, 1);
  assert.equal(report.outcomes.find((o) => o.id === "x1")?.status, "rejected");

  const table = formatReport(report);
  assert.match(table, /^\| planner \| cases \| correct \| exact \| regex \| decision accuracy \|$/m);
  assert.match(table, /^\| template \| 3 \| 66\.7% \| 1 \| 0 \| 100\.0% \|$/m);
  assert.match(table, /^\| goal-parser \| 2 \| 100\.0% \| 0 \| 1 \| – \|$/m);
  assert.match(table, /^\| \*\*all\*\* \| 6 \| 83\.3% \|/m);
  assert.match(table, /wrong commands that policy would have let run: 1/);
  assert.match(table, /^- e2: expected kubectl rollout restart/m);
});

test("an expected refusal: correct only when the request is refused with that message", async () => {
  const refusal: EvalCase[] = [c("r1", { error: 'no card does "scale" on daemonset' }), c("r2", { error: 'no card does "scale" on daemonset' }), c("r3", { error: "no card" })];
  let i = 0;
  const report = await runEval(refusal, async () => {
    i++;
    if (i === 1) throw new Error('invalid request: intent: no card does "scale" on daemonset; intents for daemonset: restart, status');
    if (i === 2) throw new Error("invalid request: name: is required");
    return response("planned", RESTART, "allow", "template");
  });
  assert.deepEqual(report.outcomes.map((o) => o.correct), [true, false, false]);
  assert.match(report.outcomes[2]?.detail ?? "", /expected the request to be refused \(no card\), got kubectl rollout restart/);
});
