import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createApprovals } from "../../src/approval/index.js";
import { createRagK8s } from "../../src/app/runtime.js";
import type { RagK8s } from "../../src/app/runtime.js";
import { loadConfig } from "../../src/config/index.js";
import { RequestValidationError, deepFreeze, parseWith } from "../../src/core/errors.js";
import { PlanMemo } from "../../src/core/plan-memo.js";
import { ExecRequestSchema } from "../../src/core/request.js";
import type { ExecResponse } from "../../src/core/response.js";
import type { ExecResult, Executor } from "../../src/executor/index.js";
import { MemoryAudit, succeeded } from "./fakes.js";

/** What a card's lookups are answered (a deployment's selector, its pods); anything else gets "ok". */
const LOOKUPS: readonly [RegExp, string][] = [
  [/jsonpath=\{\.spec\.selector\}/, '{"matchLabels":{"app":"web"}}'],
  [/get pods .*custom-columns/, "web-1 2026-01-02T00:00:00Z <none> Running Ready True <none>\n"],
];

/** Runs nothing (kubectl is "installed"). */
class NullExecutor implements Executor {
  readonly calls: string[] = [];
  readonly inFlight = 0;
  get spawnCount() {
    return this.calls.length;
  }
  async run(argv: readonly string[]): Promise<ExecResult> {
    const text = argv.join(" ");
    this.calls.push(text);
    const stdout = LOOKUPS.find(([pattern]) => pattern.test(text))?.[1] ?? "ok\n";
    return succeeded(stdout);
  }
  async drain() {}
  available(name: string) {
    return name === "kubectl";
  }
}

const restart = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" };
const scale = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } };

/** Whether planning the same request twice reuses the first plan (the same frozen object) or plans it again. */
const ROWS: readonly { readonly name: string; readonly request: Record<string, unknown>; readonly reused: boolean }[] = [
  { name: "a structured request", request: restart, reused: true },
  { name: "a structured request that asks for approval", request: scale, reused: true },
  { name: "a command request", request: { command: "kubectl get pods -n prod" }, reused: true },
  { name: "a denied command", request: { command: "kubectl delete namespace prod" }, reused: true },
  { name: "a goal (goals read the cluster's names)", request: { goal: "restart deployment web in staging" }, reused: false },
  { name: "a card that renders {{now}}", request: { intent: "reconcile", resource: "kustomization", namespace: "flux-system", name: "apps" }, reused: false },
  { name: "a card that looks values up in the cluster", request: { intent: "logs", resource: "deployment", namespace: "staging", name: "web", params: { tail: 5 } }, reused: false },
];

/** The response without what differs between any two operations. */
function stable(response: ExecResponse): Record<string, unknown> {
  const { operationId: _id, timings: _timings, confirmToken: _token, expiresAt: _expires, message, ...rest } = response;
  return { ...rest, message: message.replace(/rk1\.[\w.-]+/g, "<token>").replace(/valid until [^)]+/, "valid until <t>") };
}

describe("plans of repeated structured and command requests are memoized", () => {
  let dir: string;
  let runtime: RagK8s;
  let audit: MemoryAudit;
  let executor: NullExecutor;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "rag-k8s-plan-memo-"));
    const { config } = loadConfig({ cwd: dir, env: {}, overrides: { retrieval: { cacheDir: join(dir, "cache") } } });
    audit = new MemoryAudit();
    executor = new NullExecutor();
    const approvals = createApprovals({ secretPath: join(dir, "approval", "secret"), usedDir: null });
    runtime = await createRagK8s({ config, executor, audit, sandbox: "never", approvals, onWarning: () => {}, cluster: true });
  });
  after(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const row of ROWS) {
    test(`${row.name}: ${row.reused ? "reused" : "planned again"}, same answer either way`, async () => {
      const first = await runtime.plan(row.request);
      const second = await runtime.plan({ ...row.request });
      assert.ok(first.plan, `${row.name} plans`);
      if (!row.name.includes("{{now}}")) assert.deepEqual(stable(second), stable(first));
      assert.equal(second.plan === first.plan, row.reused);
      if (row.reused) {
        assert.ok(Object.isFrozen(second.plan) && Object.isFrozen(second.validation?.argv), "a shared plan is frozen");
        assert.throws(() => ((second.plan as { command: string }).command = "kubectl delete ns prod"), TypeError);
      }
    });
  }

  test("a reused plan still asks for approval, and runs only with its token, once", async () => {
    const asked = await runtime.exec(scale);
    assert.equal(asked.status, "awaiting_confirmation");
    executor.calls.length = 0;
    const confirmed = { ...scale, constraints: { confirm: true, confirmToken: asked.confirmToken } };
    assert.equal((await runtime.exec(confirmed)).status, "succeeded");
    assert.equal((await runtime.exec(confirmed)).status, "awaiting_confirmation", "the token is used up");
    assert.deepEqual(executor.calls, ["kubectl scale deployment/web -n staging --replicas=3"]);
  });

  test("audit lines of reused plans carry the request as sent: the token only as (sent), constraints per call", async () => {
    audit.records.length = 0;
    await runtime.plan(scale);
    await runtime.plan({ ...scale, constraints: { dryRun: true } });
    await runtime.plan({ ...scale, constraints: { confirm: true, confirmToken: `rk1.${"a".repeat(22)}.zzzz.${"b".repeat(22)}.${"c".repeat(22)}` } });
    const constraints = audit.records.map((r) => (r.request as { constraints: unknown }).constraints);
    assert.deepEqual(constraints, [
      { dryRun: false, confirm: false },
      { dryRun: true, confirm: false },
      { dryRun: false, confirm: true, confirmToken: "(sent)" },
    ]);
  });
});

describe("the memo keeps the most recently used plans", () => {
  const planFor = (command: string) => ({
    plan: { intent: null, resource: null, namespace: null, target: null, selector: null, command, commands: [command], steps: [command.split(" ")], summary: command, cardId: null, planner: "command" as const },
  });
  const verdict = { summary: { valid: true, decision: "allow" as const, risk: "none" as const, readOnly: true, reasons: [], details: [], suggestions: [], argv: [] }, steps: [] };

  test("a full memo evicts the least recently used entry; a hit before it was full counts as use once it is", () => {
    const rows: readonly { readonly name: string; readonly uses: readonly string[]; readonly kept: readonly string[] }[] = [
      { name: "no hits: the oldest goes", uses: [], kept: ["b", "c"] },
      { name: "a hit on the oldest while full keeps it", uses: ["a"], kept: ["a", "c"] },
      { name: "hits on both: the one used last stays", uses: ["a", "b"], kept: ["b", "c"] },
    ];
    for (const row of rows) {
      const memo = new PlanMemo(2);
      memo.remember("a", planFor("kubectl get pods a"), verdict);
      assert.ok(memo.get("a"), "a hit before the memo is full");
      memo.remember("b", planFor("kubectl get pods b"), verdict);
      for (const key of row.uses) assert.ok(memo.get(key), `${row.name}: ${key} is there`);
      memo.remember("c", planFor("kubectl get pods c"), verdict);
      assert.deepEqual(["a", "b", "c"].filter((key) => memo.get(key) !== undefined), row.kept, row.name);
    }
  });
});

describe("parseWith validates a value once", () => {
  test("its own output is passed through; a frozen input is validated once and its output is frozen", () => {
    const parsed = parseWith(ExecRequestSchema, { ...restart });
    assert.equal(parseWith(ExecRequestSchema, parsed), parsed);
    const input = deepFreeze({ ...restart });
    const once = parseWith(ExecRequestSchema, input);
    assert.equal(parseWith(ExecRequestSchema, input), once);
    assert.ok(Object.isFrozen(once) && Object.isFrozen(once.constraints));
  });

  test("hostile and invalid input is refused every time, frozen or not", () => {
    const rows: readonly unknown[] = [
      JSON.parse('{"intent":"restart","resource":"deployment","name":"web","__proto__":{"admin":true}}'),
      { ...restart, namespace: "Not A Namespace" },
      { ...restart, extra: 1 },
    ];
    for (const row of rows) {
      for (const input of [row, deepFreeze(structuredClone(row))]) {
        assert.throws(() => parseWith(ExecRequestSchema, input), RequestValidationError);
        assert.throws(() => parseWith(ExecRequestSchema, input), RequestValidationError, "and again");
      }
    }
  });
});
