/**
 * Red-team family: dry-run and confirmation bypass through the library (the HTTP and MCP faces call the same
 * operations; test/interfaces covers them per face). Every input form — structured, command, argv, goal — and
 * every token abuse: none alone, forged, another plan's, another namespace's, replayed; plan mode and dry runs
 * never use a token up; the read face never writes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

const scaleWeb = (replicas: number, namespace = "staging") => ({ intent: "scale", resource: "deployment", namespace, name: "web", params: { replicas } }) as const;

/** Risky operations in each input form, sent with confirm:true and no token: each must wait, changing nothing. */
const CONFIRM_ALONE: readonly [string, Record<string, unknown>][] = [
  ["structured scale to 0", scaleWeb(0)],
  ["command scale to 0", { command: "kubectl scale deployment/web --replicas=0 -n staging" }],
  ["argv scale to 0", { argv: ["kubectl", "scale", "deployment/web", "--replicas=0", "-n", "staging"] }],
  ["goal scale to 0", { goal: "scale deployment web in staging to 0" }],
  ["structured drain", { intent: "drain", resource: "node", name: "worker-1" }],
  ["command cordon", { command: "kubectl cordon worker-2" }],
  ["selector-wide restart", { command: "kubectl rollout restart deployment -l app.kubernetes.io/name=web -n staging" }],
  ["multi-kind restart", { command: "kubectl rollout restart deployments,statefulsets -l app -n staging" }],
];

describe("red team: confirmation and dry-run cannot be bypassed from the library", () => {
  let h: Harness;
  const writes = () => h.sandbox.requests.filter((r) => r.method !== "GET" && r.query["dryRun"] !== "All");
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  for (const [label, request] of CONFIRM_ALONE) {
    test(`confirm:true alone does not approve: ${label}`, async () => {
      h.sandbox.clearRequests();
      const spawned = h.runtime.executor.spawnCount;
      const response = await h.runtime.exec({ ...request, constraints: { confirm: true } });
      assert.equal(response.status, "awaiting_confirmation", response.message);
      assert.equal(response.executed, false);
      // A goal may list the inventory (read-only) to resolve its names; nothing else may start.
      if (request["goal"] === undefined) assert.equal(h.runtime.executor.spawnCount, spawned);
      assert.deepEqual(writes(), []);
    });
  }

  test("a token approves only its own argv, target and namespace, once; forged tokens and plan mode never run it", async () => {
    const asked = await h.runtime.exec(scaleWeb(2));
    assert.equal(asked.status, "awaiting_confirmation");
    const token = asked.confirmToken as string;
    const forged = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
    h.sandbox.clearRequests();
    const refused: readonly [string, Record<string, unknown>, RegExp][] = [
      ["other replicas", { ...scaleWeb(0), constraints: { confirm: true, confirmToken: token } }, /different command/],
      ["same argv as a command request", { command: "kubectl scale deployment/web --replicas=0 -n staging", constraints: { confirm: true, confirmToken: token } }, /different command/],
      ["forged signature", { ...scaleWeb(2), constraints: { confirm: true, confirmToken: forged } }, /not issued by this rag-k8s installation|altered/],
      ["token without confirm", { ...scaleWeb(2), constraints: { confirmToken: token } }, /./],
    ];
    for (const [label, request, why] of refused) {
      const response = await h.runtime.exec(request);
      assert.notEqual(response.status, "succeeded", label);
      assert.equal(response.executed, false, label);
      assert.match(response.message, why, label);
    }
    const otherNamespace = await h.runtime.exec({ ...scaleWeb(2, "prod"), constraints: { confirm: true, confirmToken: token } });
    assert.equal(otherNamespace.executed, false, "a staging token never runs in prod");
    const planned = await h.runtime.plan({ ...scaleWeb(2), constraints: { confirm: true, confirmToken: token } });
    assert.equal(planned.executed, false);
    const dry = await h.runtime.exec({ ...scaleWeb(2), constraints: { dryRun: true, confirm: true, confirmToken: token } });
    assert.equal(dry.status, "dry_run", dry.message);
    assert.deepEqual(writes(), [], "nothing above wrote (the dry run went to the server as dryRun=All)");
    const approved = await h.runtime.exec({ ...scaleWeb(2), constraints: { confirm: true, confirmToken: token } });
    assert.equal(approved.status, "succeeded", `${approved.message} ${approved.stderr}`);
    const replay = await h.runtime.exec({ ...scaleWeb(2), constraints: { confirm: true, confirmToken: token } });
    assert.equal(replay.status, "awaiting_confirmation");
    assert.match(replay.message, /already used/);
    assert.equal(writes().length, 1, "the approved scale wrote once");
  });

  test("dryRun:true holds in every input form: the server sees dryRun=All or nothing runs", async () => {
    const forms: readonly Record<string, unknown>[] = [
      scaleWeb(5),
      { command: "kubectl scale deployment/web --replicas=5 -n staging" },
      { argv: ["kubectl", "scale", "deployment/web", "--replicas=5", "-n", "staging"] },
      { goal: "scale deployment web in staging to 5" },
      { intent: "restart", resource: "deployment", namespace: "staging", name: "web" },
      { command: "kubectl cordon worker-3" },
    ];
    for (const request of forms) {
      h.sandbox.clearRequests();
      const asked = await h.runtime.exec({ ...request, constraints: { dryRun: true } });
      const token = asked.confirmToken;
      const response = token ? await h.runtime.exec({ ...request, constraints: { dryRun: true, confirm: true, confirmToken: token } }) : asked;
      assert.ok(["dry_run", "planned"].includes(response.status), `${JSON.stringify(request)}: ${response.status} ${response.message}`);
      assert.equal(response.dryRun, true);
      assert.deepEqual(writes(), [], JSON.stringify(request));
    }
  });

  test("the read face refuses every write, whatever the form", async () => {
    h.sandbox.clearRequests();
    const forms: readonly Record<string, unknown>[] = [
      { command: "kubectl scale deployment/web --replicas=0 -n staging", constraints: { confirm: true } },
      { argv: ["kubectl", "rollout", "restart", "deployment/web", "-n", "staging"] },
      { goal: "restart deployment web in staging" },
      { intent: "restart", resource: "deployment", namespace: "staging", name: "web" },
      { command: "kubectl cordon worker-1" },
    ];
    for (const request of forms) {
      const response = await h.runtime.read(request);
      assert.equal(response.status, "denied", JSON.stringify(request));
      assert.equal(response.executed, false);
    }
    assert.deepEqual(writes(), []);
  });
});
