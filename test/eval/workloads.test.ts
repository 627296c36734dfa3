import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { FIXTURE_PATH, SET_PATH, workloadEvalSet } from "../../eval/generate-workloads.js";
import { formatReport, readEvalSet, runEval } from "../../src/eval/index.js";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

test("eval/workloads.jsonl is what eval/generate-workloads.ts writes from the fixture (no drift)", () => {
  assert.equal(readFileSync(SET_PATH, "utf8"), workloadEvalSet(readFileSync(FIXTURE_PATH, "utf8")), "run: node --import tsx eval/generate-workloads.ts");
});

test("the set covers at least 40 workloads × 5 operations, all three workload kinds and every decision", async () => {
  const cases = await readEvalSet(SET_PATH);
  const workloads = new Set(cases.map((c) => c.id?.split("/").slice(0, 3).join("/")));
  assert.ok(workloads.size >= 40, `${workloads.size} workloads`);
  assert.equal(cases.length, workloads.size * 5);
  const kinds = new Set(cases.map((c) => c.request?.["resource"]));
  assert.deepEqual([...kinds].sort(), ["daemonset", "deployment", "statefulset"]);
  const decisions = new Set(cases.map((c) => c.expect.decision));
  assert.deepEqual([...decisions].sort(), ["allow", "confirm", "deny", undefined]);
});

describe("the workload set through the real pipeline, against the sandbox seeded with its fixture", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({}, { fixture: FIXTURE_PATH });
  });
  after(() => h.close());

  test("every case is planned (or refused) exactly as expected, and nothing runs but lookups", async () => {
    const cases = await readEvalSet(SET_PATH);
    h.sandbox.clearRequests();
    const report = await runEval(cases, (request) => h.runtime.plan(request));
    assert.deepEqual(report.failures.map((f) => `${f.id}: ${f.detail}`), [], formatReport(report));
    assert.equal(report.correct, cases.length);
    assert.equal(report.wrongCommands, 0);
    const writes = h.sandbox.requests.filter((r) => r.method !== "GET");
    assert.deepEqual(writes.map((r) => `${r.method} ${r.path}`), [], "planning wrote nothing to the cluster");
  });
});
