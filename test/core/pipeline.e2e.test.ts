import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { RequestValidationError } from "../../src/core/errors.js";
import { startHarness } from "./harness.js";
import type { Harness } from "./harness.js";

const restart = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } as const;

describe("k8s_exec end to end through the real kubectl", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test("a rollout restart runs, creates a new revision and is audited", async () => {
    const before = h.sandbox.get("deployments", "staging", "web");
    const response = await h.runtime.exec(restart);
    assert.equal(response.status, "succeeded", response.stderr);
    assert.equal(response.plan?.command, "kubectl rollout restart deployment/web -n staging");
    assert.equal(response.decision, "allow");
    assert.match(response.stdout, /deployment.apps\/web restarted/);
    const after = h.sandbox.get("deployments", "staging", "web") as unknown as { metadata: { generation: number }; spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    assert.ok(after.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"], "restartedAt annotation set");
    assert.ok(after.metadata.generation > (before as unknown as { metadata: { generation: number } }).metadata.generation);
    for (const key of ["retrieveMs", "planMs", "validateMs", "execMs", "totalMs"] as const) assert.equal(typeof response.timings[key], "number");
    assert.match(response.result?.stdoutDigest ?? "", /^sha256:[0-9a-f]{64}$/);
  });

  test("dry run goes to the server and changes nothing", async () => {
    const before = h.sandbox.get("deployments", "staging", "worker") as unknown as { metadata: { resourceVersion: string }; spec: { replicas: number } };
    h.sandbox.clearRequests();
    const response = await h.runtime.exec({
      intent: "scale",
      resource: "deployment",
      namespace: "staging",
      name: "worker",
      params: { replicas: 7 },
      constraints: { dryRun: true },
    });
    assert.equal(response.status, "dry_run", response.stderr);
    assert.deepEqual(response.steps[0]?.argv.at(-1), "--dry-run=server");
    assert.ok(h.sandbox.requests.some((r) => r.query["dryRun"] === "All"), "kubectl sent dryRun=All to the server");
    const after = h.sandbox.get("deployments", "staging", "worker") as unknown as typeof before;
    assert.equal(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.spec.replicas, before.spec.replicas);
  });

  test("a dry run kubectl cannot do on the server is planned, not executed", async () => {
    const spawned = h.runtime.executor.spawnCount;
    const response = await h.runtime.exec({ ...restart, constraints: { dryRun: true } });
    assert.equal(response.status, "planned");
    assert.equal(response.executed, false);
    assert.match(response.message, /cannot dry-run/);
    assert.equal(h.runtime.executor.spawnCount, spawned);
  });

  test("a medium-risk scale waits for confirmation and spawns nothing until confirmed", async () => {
    const request = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } } as const;
    const spawned = h.runtime.executor.spawnCount;
    h.sandbox.clearRequests();
    const waiting = await h.runtime.exec(request);
    assert.equal(waiting.status, "awaiting_confirmation");
    assert.equal(waiting.risk, "medium");
    assert.equal(h.runtime.executor.spawnCount, spawned);
    assert.equal(h.sandbox.requests.length, 0);
    const unapproved = await h.runtime.exec({ ...request, constraints: { confirm: true } });
    assert.equal(unapproved.status, "awaiting_confirmation", "confirm alone is not an approval");
    assert.equal(h.sandbox.requests.length, 0);
    const done = await h.runtime.exec({ ...request, constraints: { confirm: true, confirmToken: unapproved.confirmToken } });
    assert.equal(done.status, "succeeded", done.stderr);
    const deployment = h.sandbox.get("deployments", "staging", "web") as unknown as { spec: { replicas: number } };
    assert.equal(deployment.spec.replicas, 3);
    const pods = h.sandbox.list("pods", "staging", { labelSelector: "app.kubernetes.io/name=web" });
    assert.equal(pods.filter((p) => !(p as unknown as { metadata: { deletionTimestamp?: string } }).metadata.deletionTimestamp).length, 3);
  });

  test("a request policy denies spawns no process and sends nothing to the API", async () => {
    const spawned = h.runtime.executor.spawnCount;
    h.sandbox.clearRequests();
    const response = await h.runtime.exec({
      intent: "scale",
      resource: "deployment",
      namespace: "prod",
      name: "web",
      params: { replicas: 1 },
      constraints: { confirm: true },
    });
    assert.equal(response.status, "denied");
    assert.equal(response.validation?.details[0]?.code, "VERB_NOT_ALLOWED_IN_NAMESPACE");
    assert.equal(h.runtime.executor.spawnCount, spawned);
    assert.equal(h.sandbox.requests.length, 0);
  });

  test("hostile names never reach a template", async () => {
    const spawned = h.runtime.executor.spawnCount;
    for (const name of ["web; rm -rf /", "$(id)", "--kubeconfig=/tmp/x", "-n", "wеb", "web\nx", "a".repeat(300)]) {
      await assert.rejects(h.runtime.exec({ ...restart, name }), (error: unknown) => {
        assert.ok(error instanceof RequestValidationError);
        assert.equal(error.issues[0]?.path, "name");
        return true;
      });
    }
    assert.equal(h.runtime.executor.spawnCount, spawned);
  });

  test("unknown parameters for a card are a 400-style error naming the field", async () => {
    await assert.rejects(h.runtime.exec({ ...restart, params: { replicas: 3 } }), (error: unknown) => {
      assert.ok(error instanceof RequestValidationError);
      assert.ok(error.issues.some((i) => i.path === "params.replicas"), JSON.stringify(error.issues));
      return true;
    });
  });

  test("1,000 concurrent operations leave exactly 1,000 parseable, redacted audit lines", async () => {
    const local = await startHarness();
    try {
      const requests = Array.from({ length: 1000 }, (_, i) =>
        i % 100 === 0
          ? { intent: "status", resource: "deployment", namespace: "staging", name: "web", params: { timeout: "10s" } }
          : i % 2 === 0
            ? { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: (i % 5) + 1 } }
            : { goal: `show logs for password=hunter2-${i} in staging` },
      );
      const responses = await Promise.all(requests.map((r) => local.runtime.exec(r)));
      await local.runtime.close();
      const lines = readFileSync(local.auditPath, "utf8").trimEnd().split("\n");
      assert.equal(lines.length, 1000);
      const ids = new Set(lines.map((line) => (JSON.parse(line) as { operationId: string }).operationId));
      assert.deepEqual(ids, new Set(responses.map((r) => r.operationId)));
      assert.ok(!lines.some((line) => line.includes("hunter2")), "secrets never reach the audit log");
      assert.equal(responses.filter((r) => r.status === "succeeded").length, 10);
    } finally {
      await local.close().catch(() => {});
    }
  });
});

describe("limits", () => {
  test("a slow API server makes kubectl time out; the process group is killed", async () => {
    const h = await startHarness({ exec: { timeoutMs: 1500, killGraceMs: 200 } });
    try {
      h.sandbox.setDelay(/\/deployments/, 10_000);
      const response = await h.runtime.exec({ intent: "describe", resource: "deployment", namespace: "staging", name: "web" });
      assert.equal(response.status, "failed");
      assert.equal(response.steps[0]?.timedOut, true);
      assert.match(response.message, /timed out/);
    } finally {
      await h.close();
    }
  });

  test("output beyond the cap is truncated while the digest covers all of it", async () => {
    const h = await startHarness({ exec: { maxStdoutChars: 120 } });
    try {
      const response = await h.runtime.exec({ intent: "describe", resource: "deployment", namespace: "prod", name: "payments-api" });
      assert.equal(response.status, "succeeded", response.stderr);
      assert.ok(response.stdout.length <= 120);
      assert.equal(response.result?.truncated, true);
    } finally {
      await h.close();
    }
  });
});
