import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { AuditWriteError } from "../../src/audit/index.js";
import { EvalSetError, discardingAuditLog, gradeSet, readEvalSetFile } from "../../src/eval/index.js";
import type { EvalReport } from "../../src/eval/index.js";

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-eval-thresholds-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const report = (total: number, correct: number, wrongCommands = 0): EvalReport => ({ total, correct, wrongCommands, byPlanner: {}, failures: [], outcomes: [] });

test("gradeSet: a set passes at or above its threshold, and never with a wrong command policy would let run", () => {
  const rows = [
    { report: report(10, 10), min: 1, passed: true, accuracy: 1 },
    { report: report(10, 9), min: 1, passed: false, accuracy: 0.9 },
    { report: report(10, 9), min: 0.9, passed: true, accuracy: 0.9 },
    { report: report(10, 8), min: 0.9, passed: false, accuracy: 0.8 },
    { report: report(10, 10, 1), min: 0, passed: false, accuracy: 1 },
    { report: report(0, 0), min: 1, passed: true, accuracy: 1 },
  ];
  for (const row of rows) {
    const verdict = gradeSet("set.jsonl", row.report, row.min);
    assert.equal(verdict.passed, row.passed, JSON.stringify(row));
    assert.equal(verdict.accuracy, row.accuracy);
  }
});

test("readEvalSetFile: a settings line sets the set's threshold; an invalid one names file:line", async () => {
  const good = join(dir, "good.jsonl");
  writeFileSync(good, '{"minAccuracy": 0.8}\n{"id": "a", "goal": "restart web in staging", "expect": {"status": "needs_input"}}\n');
  const set = await readEvalSetFile(good);
  assert.equal(set.minAccuracy, 0.8);
  assert.equal(set.cases.length, 1);
  const none = join(dir, "none.jsonl");
  writeFileSync(none, '{"id": "a", "goal": "restart web in staging", "expect": {"status": "needs_input"}}\n');
  assert.equal((await readEvalSetFile(none)).minAccuracy, undefined);
  const bad = join(dir, "bad.jsonl");
  writeFileSync(bad, '{"minAccuracy": 80}\n');
  await assert.rejects(readEvalSetFile(bad), (e: unknown) => e instanceof EvalSetError && /bad\.jsonl:1:/.test(e.message));
});

test("eval's audit log records nothing and refuses a mutation's intent, so nothing that writes can run under eval", async () => {
  const audit = discardingAuditLog();
  await audit.append({} as never);
  await audit.assertWritable();
  await assert.rejects(audit.intent({} as never), AuditWriteError);
});
