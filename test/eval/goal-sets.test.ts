import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { GOAL_SETS, goalParser, readGoalSet, scoreSet } from "../../eval/goal-scoring.js";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const home = mkdtempSync(join(tmpdir(), "rag-k8s-goal-sets-"));
after(() => rmSync(home, { recursive: true, force: true }));

const parserReady = goalParser(loadCardsSync([bundledCardsDir()]));

for (const set of GOAL_SETS.filter((s) => !s.homelab)) {
  test(`goal set "${set.name}" (${set.file}): no wrong command and at least ${set.minRight * 100}% right`, async () => {
    const cases = await readGoalSet(set);
    assert.ok(cases.length >= (set.heldOut ? 120 : 300), `expected the full set, got ${cases.length} goals`);
    const score = scoreSet(set, cases, await parserReady);
    assert.deepEqual(
      score.misses.filter((m) => m.verdict === "wrong").map((m) => `${m.id}: ${JSON.stringify(m.goal)} -> ${m.got}`),
      [],
    );
    assert.ok(score.passed, `${score.counts.right}/${score.total} right, below ${set.minRight}`);
  });
}

test("the held-out sets say so in the file: every row's id is marked, and the voices set opens with the held-out note", async () => {
  const voices = GOAL_SETS.find((s) => s.file.endsWith("voices.heldout.jsonl"));
  assert.ok(voices?.heldOut);
  for (const c of await readGoalSet(voices)) assert.match(c.id ?? "", /^voices-\d{3}$/);
  const { readFileSync } = await import("node:fs");
  assert.match(readFileSync(join(ROOT, voices.file), "utf8"), /^\/\/ HELD-OUT set/);
});

function evalCli(args: readonly string[], auditPath: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "src", "interfaces", "cli", "main.ts"), "eval", ...args], {
      cwd: ROOT,
      env: { PATH: process.env["PATH"] ?? "", HOME: home, RAGK8S_AUDIT_PATH: auditPath, KUBECACHEDIR: join(home, "kube-cache"), NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 90_000,
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout }));
  });
}

test("rag-k8s eval on the voices set: exit 1 below the threshold, 0 at it, and the audit log is never written", async () => {
  const rows = [
    { minAccuracy: "0.999", code: 1, line: /^FAIL {2}eval\/goals\.voices\.heldout\.jsonl: \d+\.\d% correct \(threshold 99\.9%\)$/m },
    { minAccuracy: "0.9", code: 0, line: /^PASS {2}eval\/goals\.voices\.heldout\.jsonl: \d+\.\d% correct \(threshold 90\.0%\)$/m },
  ];
  const runs = await Promise.all(rows.map((row, i) => evalCli(["--set", "eval/goals.voices.heldout.jsonl", "--min-accuracy", row.minAccuracy], join(home, `audit-${i}.jsonl`))));
  for (const [i, row] of rows.entries()) {
    const run = runs[i];
    assert.equal(run?.code, row.code, run?.stdout);
    assert.match(run?.stdout ?? "", row.line);
    assert.match(run?.stdout ?? "", /wrong commands that policy would have let run: 0/);
    assert.equal(existsSync(join(home, `audit-${i}.jsonl`)), false, "eval wrote to the audit log");
  }
});
