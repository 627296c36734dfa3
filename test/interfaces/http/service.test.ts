import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { after, before, describe, test } from "node:test";
import { serve } from "../../../src/interfaces/http/serve.js";
import type { RunningServer } from "../../../src/interfaces/http/serve.js";
import { HttpConfigError } from "../../../src/interfaces/http/server.js";
import { getJson, postJson, restartWeb, startCluster, tryConnect, untilRequest } from "./fixture.js";
import type { ClusterFixture } from "./fixture.js";

describe("rag-k8s HTTP service over a real socket, against the sandbox through a kubeconfig", () => {
  let cluster: ClusterFixture;
  let server: RunningServer;
  before(async () => {
    cluster = await startCluster();
    server = await serve({ config: cluster.config(), sandbox: "never", env: cluster.env });
  });
  after(async () => {
    await server.close();
    await cluster.close();
  });

  test("listens on 127.0.0.1 with a free port", () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(server.url).port, "0");
  });

  test("GET /health without a token reports readiness only (no target, versions or sandbox URL)", async () => {
    const { status, body } = await getJson(`${server.url}/health`);
    assert.equal(status, 200);
    assert.deepEqual(body, { status: "ready" });
  });

  test("POST /k8s-exec restarts a deployment and returns the full response", async () => {
    const { status, body } = await postJson(`${server.url}/k8s-exec`, restartWeb);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body["status"], "succeeded", String(body["stderr"]));
    assert.match(String(body["operationId"]), /^[0-9a-f-]{36}$/);
    const plan = body["plan"] as { command: string; intent: string };
    assert.equal(plan.command, "kubectl rollout restart deployment/web -n staging");
    assert.equal(plan.intent, "restart");
    const validation = body["validation"] as { valid: boolean; reasons: unknown[] };
    assert.equal(validation.valid, true);
    assert.ok(Array.isArray(validation.reasons));
    const result = body["result"] as { code: number; stdoutDigest: string; stderrDigest: string; duration: number; truncated: boolean };
    assert.equal(result.code, 0);
    assert.match(result.stdoutDigest, /^sha256:[0-9a-f]{64}$/);
    assert.match(result.stderrDigest, /^sha256:[0-9a-f]{64}$/);
    assert.equal(typeof result.duration, "number");
    assert.equal(result.truncated, false);
    assert.match(String(body["stdout"]), /deployment.apps\/web restarted/);
    assert.equal(typeof body["stderr"], "string");
    const timings = body["timings"] as Record<string, unknown>;
    for (const key of ["retrieveMs", "planMs", "validateMs", "execMs", "totalMs"]) assert.equal(typeof timings[key], "number", key);
    const deployment = cluster.sandbox.get("deployments", "staging", "web") as unknown as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    assert.ok(deployment.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"], "the restart reached the cluster");
  });

  test("POST /plan shows a risky operation needs approval and runs nothing", async () => {
    const before = cluster.sandbox.requests.length;
    const { status, body } = await postJson(`${server.url}/plan`, { intent: "scale", resource: "deployment", namespace: "staging", name: "worker", params: { replicas: 2 } });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body["status"], "awaiting_confirmation");
    assert.equal(body["executed"], false);
    assert.equal((body["plan"] as { command: string }).command, "kubectl scale deployment/worker -n staging --replicas=2");
    assert.equal(body["decision"], "confirm");
    assert.equal(cluster.sandbox.requests.length, before, "nothing reached the cluster");
  });

  describe("400 names the failing field", () => {
    const cases: { name: string; body: unknown; path: string }[] = [
      { name: "a namespace that is not a DNS label", body: { ...restartWeb, namespace: "Bad_NS" }, path: "namespace" },
      { name: "an unknown intent", body: { ...restartWeb, intent: "explode" }, path: "intent" },
      { name: "an extra field", body: { ...restartWeb, shell: "rm -rf /" }, path: "" },
      { name: "a bad parameter", body: { ...restartWeb, params: { replicas: -1 } }, path: "params.replicas" },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const before = cluster.sandbox.requests.length;
        const { status, body } = await postJson(`${server.url}/k8s-exec`, c.body);
        assert.equal(status, 400, JSON.stringify(body));
        assert.equal(body["error"], "invalid_request");
        const issues = body["issues"] as { path: string; message: string }[];
        assert.ok(issues.some((i) => i.path === c.path && i.message.length > 0), JSON.stringify(issues));
        assert.equal(cluster.sandbox.requests.length, before, "nothing reached the cluster");
      });
    }

    test("the extra field is named in the message", async () => {
      const { body } = await postJson(`${server.url}/k8s-exec`, { ...restartWeb, shell: "rm -rf /" });
      assert.match(String(body["message"]), /shell/);
    });

    test("a body that is not JSON", async () => {
      const { status, body } = await postJson(`${server.url}/k8s-exec`, "{not json");
      assert.equal(status, 400);
      assert.match(String(body["message"]), /JSON/i);
    });
  });

  test("POST /validate denies a prod pod delete with a reason and a safer suggestion", async () => {
    const { status, body } = await postJson(`${server.url}/validate`, { command: "kubectl delete pod x -n prod" });
    assert.equal(status, 200);
    assert.equal(body["decision"], "deny");
    assert.ok((body["reasons"] as unknown[]).length > 0);
    assert.ok((body["suggestions"] as unknown[]).length > 0);
    assert.equal(body["parsed"], undefined);
    const allowed = await postJson(`${server.url}/validate`, { command: "kubectl get pods -n staging" });
    assert.equal(allowed.body["decision"], "allow");
    const bad = await postJson(`${server.url}/validate`, { command: "" });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body["issues"] as { path: string }[]).map((i) => i.path), ["command"]);
  });

  test("POST /retrieve ranks cards and renders their context", async () => {
    const { status, body } = await postJson(`${server.url}/retrieve`, { query: "restart a deployment", k: 3 });
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body["mode"], "lexical");
    const hits = body["hits"] as { id: string; intent: string; resource: string; score: number }[];
    assert.ok(hits.length > 0 && hits.length <= 3);
    assert.ok(hits.some((h) => h.intent === "restart" && h.resource === "deployment"), JSON.stringify(hits));
    assert.match(String(body["context"]), /rollout restart/);
    assert.ok(Number(body["tokens"]) > 0);
    const empty = await postJson(`${server.url}/retrieve`, {});
    assert.equal(empty.status, 400);
    assert.deepEqual((empty.body["issues"] as { path: string }[]).map((i) => i.path), ["query"]);
  });

  test("GET /metrics exposes stage histograms with sub-millisecond buckets and operation counters", async () => {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
    const samples = parsePrometheus(await response.text());
    // Traffic so far: one executed restart and one planned scale.
    const buckets = samples.filter((s) => s.name === "ragk8s_stage_duration_seconds_bucket" && s.labels["stage"] === "validate");
    const les = buckets.map((s) => s.labels["le"] ?? "");
    assert.ok(les.some((le) => le !== "+Inf" && Number(le) < 0.001), `sub-millisecond buckets: ${les.join(",")}`);
    const inf = buckets.filter((s) => s.labels["le"] === "+Inf").reduce((sum, s) => sum + s.value, 0);
    assert.ok(inf >= 2, `validate observed at least twice, got ${inf}`);
    const exec = samples.find((s) => s.name === "ragk8s_stage_duration_seconds_count" && s.labels["stage"] === "exec");
    assert.ok(exec && exec.value >= 1, "exec stage observed");
    const ops = samples.filter((s) => s.name === "ragk8s_operations_total");
    const restart = ops.find((s) => s.labels["intent"] === "restart" && s.labels["decision"] === "allow" && s.labels["status"] === "succeeded");
    assert.ok(restart && restart.value >= 1, JSON.stringify(ops));
    assert.ok(restart.labels["risk"], "risk label present");
    const scale = ops.find((s) => s.labels["intent"] === "scale" && s.labels["decision"] === "confirm");
    assert.ok(scale && scale.value >= 1, JSON.stringify(ops));
    const http = samples.filter((s) => s.name === "ragk8s_http_request_duration_seconds_count" && s.labels["route"] === "/k8s-exec");
    assert.ok(http.some((s) => s.labels["code"] === "200") && http.some((s) => s.labels["code"] === "400"), JSON.stringify(http));
  });
});

describe("serve() startup and shutdown", () => {
  let cluster: ClusterFixture;
  before(async () => {
    cluster = await startCluster();
  });
  after(() => cluster.close());

  test("refuses a non-loopback host without a token before starting anything", async () => {
    const config = cluster.config();
    const scratch = () => readdirSync(tmpdir()).filter((name) => name.startsWith("rag-k8s-sandbox-")).sort();
    const before = scratch();
    // "always" would start an in-process sandbox: a leaked one would also keep this test file from exiting.
    await assert.rejects(serve({ config: { ...config, http: { ...config.http, host: "0.0.0.0" } }, sandbox: "always", env: cluster.env }), HttpConfigError);
    assert.deepEqual(scratch().filter((name) => !before.includes(name)), [], "no sandbox runtime was started");
  });

  test("close() lets an in-flight exec finish and audit it, then refuses new connections", { timeout: 30_000 }, async () => {
    const auditPath = cluster.auditPath("shutdown");
    const server = await serve({ config: cluster.config({ audit: { path: auditPath } }), sandbox: "never", env: cluster.env });
    // kubectl refuses to restart one deployment twice within a second, and an earlier test restarted web.
    const isWorkerPatch = (r: { method: string; path: string }) => r.method === "PATCH" && r.path.endsWith("/deployments/worker");
    cluster.sandbox.setDelay(isWorkerPatch, 1500);
    const inFlight = postJson(`${server.url}/k8s-exec`, { ...restartWeb, name: "worker" });
    await untilRequest(cluster.sandbox, isWorkerPatch);
    const closed = server.close();
    const { status, body } = await inFlight;
    await closed;
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body["status"], "succeeded", String(body["stderr"]));
    const lines = readFileSync(auditPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l["operationId"] === body["operationId"]), "the in-flight operation was audited before close() resolved");
    assert.equal(await tryConnect(server.url), "ECONNREFUSED");
  });
});

interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

/** Prometheus text exposition format: `name{a="b",c="d"} value`, comments skipped. */
function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1] as string] = pair[2] as string;
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}
