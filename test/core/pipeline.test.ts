import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createApprovals } from "../../src/approval/index.js";
import type { Approvals } from "../../src/approval/index.js";
import { createRagK8s } from "../../src/app/runtime.js";
import type { RagK8s } from "../../src/app/runtime.js";
import type { OpenTarget } from "../../src/app/target.js";
import { AuditWriteError } from "../../src/audit/index.js";
import type { AuditLog, AuditRecord, IntentRecord, ResultRecord } from "../../src/audit/index.js";
import { loadConfig } from "../../src/config/index.js";
import { RequestValidationError } from "../../src/core/errors.js";
import type { ExecResponse } from "../../src/core/response.js";
import type { ExecResult, Executor } from "../../src/executor/index.js";

/** What happened, in order, across the fake executor and audit log: proves intent → run → result. */
const events: string[] = [];

/** An executor that runs nothing: it records each argv and answers from a script keyed by the argv's words. */
class FakeExecutor implements Executor {
  readonly calls: string[][] = [];
  failNext = false;
  timeOutNext = false;
  throwNext = false;
  constructor(private readonly script: ReadonlyMap<RegExp, string>) {}
  get spawnCount() {
    return this.calls.length;
  }
  readonly inFlight = 0;
  async run(argv: readonly string[]): Promise<ExecResult> {
    this.calls.push([...argv]);
    events.push(`run ${argv.join(" ")}`);
    if (this.throwNext) {
      this.throwNext = false;
      throw new Error("spawn failed (test)");
    }
    const text = argv.join(" ");
    const stdout = [...this.script].find(([pattern]) => pattern.test(text))?.[1] ?? "ok\n";
    const timedOut = this.timeOutNext;
    const code = this.failNext ? 1 : timedOut ? null : 0;
    this.failNext = false;
    this.timeOutNext = false;
    return {
      code,
      signal: timedOut ? "SIGTERM" : null,
      stdout,
      stderr: code ? "error: scripted failure\n" : "",
      truncated: { stdout: false, stderr: false },
      timedOut,
      durationMs: 1,
      stdoutBytes: stdout.length,
      stderrBytes: 0,
      stdoutDigest: `sha256:${"0".repeat(64)}`,
      stderrDigest: `sha256:${"0".repeat(64)}`,
    };
  }
  async drain() {}
  available(name: string) {
    return name === "kubectl";
  }
}

/** An audit log in memory; `broken` makes it refuse like a full disk would. */
class FakeAudit implements AuditLog {
  readonly path = "memory";
  readonly mutationsPath = "memory-mutations";
  readonly records: AuditRecord[] = [];
  readonly intents: IntentRecord[] = [];
  readonly results: ResultRecord[] = [];
  broken = false;
  async append(record: AuditRecord) {
    this.records.push(record);
  }
  async intent(record: IntentRecord) {
    if (this.broken) throw new AuditWriteError("memory", "not writable (test)");
    events.push(`intent ${record.operationId}`);
    this.intents.push(record);
  }
  async result(record: ResultRecord) {
    events.push(`result ${record.operationId} ${record.status}`);
    this.results.push(record);
  }
  async assertWritable() {
    if (this.broken) throw new AuditWriteError("memory", "not writable (test)");
  }
  async close() {}
}

const CONTEXT = ["--context", "test-ctx"];
/** The goal inventory's one list call (every kind it reads, across all namespaces). */
const INVENTORY_READ = /^kubectl --context test-ctx get namespaces,nodes,\S+ -A -o json$/;
const target: OpenTarget = {
  target: {
    kind: "cluster",
    kubeconfig: null,
    context: "test-ctx",
    server: "https://test.invalid",
    describe: "context test-ctx @ https://test.invalid (test)",
    record: { kind: "cluster", context: "test-ctx", server: "https://test.invalid" },
  },
  env: {},
  targetArgs: CONTEXT,
  reachable: true,
  sandbox: null,
  contexts: new Map(),
  close: async () => {},
};
const SCRIPT = new Map<RegExp, string>([
  [/jsonpath=\{\.spec\.selector\}/, '{"matchLabels":{"app":"web"}}'],
  [/get pods .*custom-columns/, "web-old 2026-01-01T00:00:00Z <none> Running Ready True <none>\nweb-new 2026-01-02T00:00:00Z <none> Running Ready True <none>\n"],
]);

const scale = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } };
const restart = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" };

interface Row {
  readonly name: string;
  readonly mode?: "exec" | "plan";
  readonly request: unknown;
  readonly status: ExecResponse["status"];
  /** Exactly what the executor must have been handed, in order (lookups first). */
  readonly ran: readonly string[];
  readonly command?: string;
}

const ROWS: readonly Row[] = [
  { name: "a restart runs with the target context added after validation", request: restart, status: "succeeded", ran: ["kubectl --context test-ctx rollout restart deployment/web -n staging"] },
  { name: "a medium-risk scale waits and runs nothing", request: scale, status: "awaiting_confirmation", ran: [] },
  { name: "confirm: true alone does not approve over the library", request: { ...scale, constraints: { confirm: true } }, status: "awaiting_confirmation", ran: [] },
  { name: "a dry run is a server-side dry run", request: { ...scale, constraints: { dryRun: true } }, status: "dry_run", ran: ["kubectl --context test-ctx scale deployment/web -n staging --replicas=3 --dry-run=server"] },
  { name: "a dry run kubectl cannot do is only planned", request: { ...restart, constraints: { dryRun: true } }, status: "planned", ran: [] },
  { name: "policy denies a scale in prod and nothing runs", request: { ...scale, namespace: "prod" }, status: "denied", ran: [] },
  { name: "plan runs nothing", mode: "plan", request: restart, status: "planned", ran: [] },
  { name: "--revision reaches rollout undo's to_revision", mode: "plan", request: { intent: "undo", resource: "deployment", namespace: "staging", name: "web", params: { revision: 3 } }, status: "awaiting_confirmation", ran: [], command: "kubectl rollout undo deployment/web -n staging --to-revision=3" },
  {
    name: "a card's lookups go through the gate (context added), then the plan",
    request: { intent: "logs", resource: "deployment", namespace: "staging", name: "web", params: { tail: 5 } },
    status: "succeeded",
    ran: [
      "kubectl --context test-ctx get deployment web -n staging -o jsonpath={.spec.selector}",
      "kubectl --context test-ctx get pods -n staging -l app=web --no-headers -o=custom-columns=NAME:.metadata.name,CREATED:.metadata.creationTimestamp,DELETING:.metadata.deletionTimestamp,PHASE:.status.phase,CONDITIONS:.status.conditions[*].type,STATUSES:.status.conditions[*].status,WAITING:.status.containerStatuses[*].state.waiting.reason",
      "kubectl --context test-ctx logs web-new -n staging --tail=5",
    ],
  },
  { name: "a namespace sent beside a goal is honoured", mode: "plan", request: { goal: "restart deployment web", namespace: "staging" }, status: "planned", ran: [], command: "kubectl rollout restart deployment/web -n staging" },
  { name: "a goal agreeing with its fields plans", mode: "plan", request: { goal: "restart deployment web in staging", namespace: "staging", name: "web" }, status: "planned", ran: [], command: "kubectl rollout restart deployment/web -n staging" },
  { name: "params beside a goal are honoured", mode: "plan", request: { goal: "scale deployment web in staging", params: { replicas: 4 } }, status: "awaiting_confirmation", ran: [], command: "kubectl scale deployment/web -n staging --replicas=4" },
];

describe("the pipeline in process, with a fake executor and audit log", () => {
  let dir: string;
  let runtime: RagK8s;
  let executor: FakeExecutor;
  let audit: FakeAudit;
  let now = Date.parse("2026-12-01T00:00:00Z");
  let approvals: Approvals;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "rag-k8s-pipeline-"));
    const { config } = loadConfig({ cwd: dir, env: {}, overrides: { retrieval: { cacheDir: join(dir, "cache") } } });
    executor = new FakeExecutor(SCRIPT);
    audit = new FakeAudit();
    approvals = createApprovals({ secretPath: join(dir, "approval", "secret"), usedDir: join(dir, "approval", "used"), now: () => now });
    runtime = await createRagK8s({ config, executor, audit, target, approvals, onWarning: () => {} });
  });
  after(async () => {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("goals read the cluster's names through the gate, with the target added, at most once per TTL", async () => {
    executor.calls.length = 0;
    await runtime.plan({ goal: "restart deployment web in staging" });
    await runtime.plan({ goal: "scale deployment web in staging to 3" });
    const reads = executor.calls.map((argv) => argv.join(" ")).filter((argv) => INVENTORY_READ.test(argv));
    assert.equal(reads.length, 1, `inventory reads: ${reads.join("; ")}`);
  });

  for (const row of ROWS) {
    test(row.name, async () => {
      executor.calls.length = 0;
      const audited = audit.records.length;
      const response = await runtime[row.mode ?? "exec"](row.request);
      assert.equal(response.status, row.status, response.message);
      // Goals read the cluster's names (the inventory test below pins those reads); the rows pin what the plan ran.
      assert.deepEqual(executor.calls.map((argv) => argv.join(" ")).filter((argv) => !INVENTORY_READ.test(argv)), row.ran);
      if (row.command) assert.equal(response.plan?.command, row.command);
      assert.equal(audit.records.length, audited + 1, "one audit line per operation");
      assert.equal(audit.records.at(-1)?.status, row.status);
      assert.equal(response.executed, row.ran.some((argv) => !/ get (deployment|pods) /.test(argv)));
    });
  }

  test("invalid requests and goals contradicting their fields are input errors: nothing runs, nothing is audited", async () => {
    const invalid: unknown[] = [
      { ...restart, namespace: "a;b" },
      { goal: "restart deployment web in shop", namespace: "staging" },
      { goal: "restart deployment web in staging", name: "api" },
      { goal: "scale deployment web to 3 in staging", params: { replicas: 5 } },
      { intent: "restart", resource: "node", name: "worker-1" },
    ];
    executor.calls.length = 0;
    const audited = audit.records.length;
    for (const request of invalid) {
      await assert.rejects(runtime.exec(request), (error: unknown) => error instanceof RequestValidationError && error.kind === "input", JSON.stringify(request));
    }
    assert.deepEqual(executor.calls, []);
    assert.equal(audit.records.length, audited);
  });

  test("a mutation the audit log cannot record does not run; a read still does", async () => {
    executor.calls.length = 0;
    audit.broken = true;
    try {
      await assert.rejects(runtime.exec(restart), AuditWriteError);
      await assert.rejects(runtime.exec({ ...scale, constraints: { dryRun: true } }), AuditWriteError, "a dry run is a mutation request too");
      assert.deepEqual(executor.calls, []);
      const read = await runtime.exec({ intent: "status", resource: "deployment", namespace: "staging", name: "web" });
      assert.equal(read.status, "succeeded");
      assert.equal(executor.calls.length, 1);
    } finally {
      audit.broken = false;
    }
  });

  test("a failed step is reported as failed with its exit code", async () => {
    executor.failNext = true;
    const response = await runtime.exec(restart);
    assert.equal(response.status, "failed");
    assert.equal(response.result?.code, 1);
    assert.match(response.message, /exited with 1/);
  });

  /** Asks for the scale, then approves it with the token of that answer. */
  async function approvedScale(): Promise<ExecResponse> {
    const asked = await runtime.exec(scale);
    assert.equal(asked.status, "awaiting_confirmation");
    return runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: asked.confirmToken } });
  }

  const SCALE_ARGV = "kubectl --context test-ctx scale deployment/web -n staging --replicas=3";
  const outcomes: readonly { name: string; arrange: () => void; status: ExecResponse["status"]; result: string; throws?: boolean }[] = [
    { name: "success", arrange: () => {}, status: "succeeded", result: "succeeded" },
    { name: "failure", arrange: () => (executor.failNext = true), status: "failed", result: "failed" },
    { name: "timeout", arrange: () => (executor.timeOutNext = true), status: "failed", result: "failed" },
    { name: "exception", arrange: () => (executor.throwNext = true), status: "failed", result: "failed", throws: true },
  ];
  for (const row of outcomes) {
    test(`write-ahead audit on ${row.name}: the intent is recorded before the executor runs, the result after`, async () => {
      events.length = 0;
      const asked = await runtime.exec(scale);
      row.arrange();
      const approve = runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: asked.confirmToken } });
      if (row.throws) await assert.rejects(approve, /spawn failed/);
      else assert.equal((await approve).status, row.status);
      const id = audit.intents.at(-1)?.operationId ?? "";
      assert.deepEqual(events, [`intent ${id}`, `run ${SCALE_ARGV}`, `result ${id} ${row.result}`]);
      const intent = audit.intents.at(-1);
      assert.deepEqual(intent?.argv, [SCALE_ARGV.split(" ")], "argv exactly as the executor received it, --context included");
      assert.deepEqual([intent?.kind, intent?.target, intent?.decision, intent?.risk, intent?.dryRun, intent?.approval, intent?.planner], ["exec", "test-ctx@https://test.invalid", "confirm", "medium", false, "token", "template"]);
      const result = audit.results.at(-1);
      assert.equal(result?.steps.length, row.throws ? 0 : 1, "a step that threw has no outcome to record");
      if (row.name === "timeout") assert.equal(result?.steps[0]?.timedOut, true);
      if (row.throws) assert.match(result?.error ?? "", /spawn failed/);
    });
  }

  test("a dry run is recorded write-ahead too; a read-only plan is not", async () => {
    events.length = 0;
    const dry = await runtime.exec({ ...scale, constraints: { dryRun: true } });
    assert.equal(dry.status, "dry_run");
    const id = audit.intents.at(-1)?.operationId;
    assert.deepEqual(events, [`intent ${id}`, `run ${SCALE_ARGV} --dry-run=server`, `result ${id} dry_run`]);
    assert.equal(audit.intents.at(-1)?.dryRun, true);
    events.length = 0;
    await runtime.exec({ intent: "status", resource: "deployment", namespace: "staging", name: "web" });
    assert.ok(events.every((e) => e.startsWith("run ")), events.join("\n"));
  });

  test("approval: only the token of a prior awaiting_confirmation answer approves, once, for exactly that plan, until it expires", async () => {
    const asked = await runtime.exec(scale);
    assert.match(asked.confirmToken ?? "", /^rk1\./);
    assert.ok(asked.expiresAt && Date.parse(asked.expiresAt) > now);
    const token = asked.confirmToken as string;
    const other = (await runtime.exec({ ...scale, params: { replicas: 4 } })).confirmToken as string;
    const [prefix, nonce, expiry, bound, mac] = token.split(".") as [string, string, string, string, string];
    const flip = (part: string) => (part[0] === "A" ? "B" : "A") + part.slice(1);
    const refused: readonly { name: string; constraints: Record<string, unknown>; why: RegExp; request?: Record<string, unknown> }[] = [
      { name: "confirm alone", constraints: { confirm: true }, why: /confirm = true alone is not an approval/ },
      { name: "a token without confirm", constraints: { confirmToken: token }, why: /without constraints\.confirm/ },
      { name: "a forged MAC", constraints: { confirm: true, confirmToken: [prefix, nonce, expiry, bound, flip(mac)].join(".") }, why: /not issued by this rag-k8s installation/ },
      { name: "a later expiry", constraints: { confirm: true, confirmToken: [prefix, nonce, "zzzzzzzzz", bound, mac].join(".") }, why: /not issued by this rag-k8s installation/ },
      { name: "another plan's token", constraints: { confirm: true, confirmToken: other }, why: /approves a different command/ },
      { name: "the token on another namespace", constraints: { confirm: true, confirmToken: token }, why: /approves a different command/, request: { ...scale, namespace: "dev" } },
    ];
    for (const row of refused) {
      executor.calls.length = 0;
      const response = await runtime.exec({ ...(row.request ?? scale), constraints: row.constraints });
      assert.equal(response.status, "awaiting_confirmation", row.name);
      assert.match(response.message, row.why, row.name);
      assert.deepEqual(executor.calls, [], row.name);
    }
    const malformed = runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: "0123456789abcdef" } });
    await assert.rejects(malformed, RequestValidationError, "the old unkeyed token format is not a token");
    const approved = await runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal(approved.status, "succeeded", approved.message);
    const logged = JSON.stringify([audit.records.slice(-refused.length - 2), audit.intents.at(-1)]);
    assert.ok(!logged.includes(token) && !logged.includes(other), "audit records never hold a live token");
    const replayed = await runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal(replayed.status, "awaiting_confirmation");
    assert.match(replayed.message, /already used/);
    const late = (await runtime.exec(scale)).confirmToken as string;
    now += 11 * 60_000;
    const expired = await runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: late } });
    assert.equal(expired.status, "awaiting_confirmation");
    assert.match(expired.message, /expired/);
  });

  test("plan mode does not use a token up", async () => {
    const token = (await runtime.exec(scale)).confirmToken;
    const planned = await runtime.plan({ ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal(planned.status, "planned");
    assert.equal((await runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: token } })).status, "succeeded");
  });

  test("faces vouch for a person with approvedBy, never with a request field", async () => {
    assert.equal((await runtime.exec({ ...scale, constraints: { confirm: true } }, { approvedBy: "terminal-flag" })).status, "succeeded");
    assert.equal(audit.intents.at(-1)?.approval, "terminal");
    assert.equal((await runtime.exec({ ...scale, constraints: { confirm: true } }, { approvedBy: "elicitation" })).status, "awaiting_confirmation", "elicitation still needs the token it showed");
    await assert.rejects(runtime.exec({ ...scale, approvedBy: "terminal-flag", constraints: { confirm: true } }), RequestValidationError);
    assert.equal((await approvedScale()).status, "succeeded");
  });
});
