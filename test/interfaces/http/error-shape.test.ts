import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createRagK8s } from "../../../src/app/runtime.js";
import type { RagK8s } from "../../../src/app/runtime.js";
import { serveStreamableHttp } from "../../../src/interfaces/mcp/server.js";
import { createMetrics } from "../../../src/interfaces/http/metrics.js";
import { serve } from "../../../src/interfaces/http/serve.js";
import type { RunningServer } from "../../../src/interfaces/http/serve.js";
import { startCluster } from "./fixture.js";
import type { ClusterFixture } from "./fixture.js";

/** Every error body: `{ error: code, message, issues?, operationId? }`, nothing else. */
function assertErrorShape(body: Record<string, unknown>, code: string): void {
  assert.equal(body["error"], code, JSON.stringify(body));
  assert.equal(typeof body["message"], "string");
  assert.deepEqual(
    Object.keys(body).filter((k) => !["error", "message", "issues", "operationId"].includes(k)),
    [],
    `unexpected keys in ${JSON.stringify(body)}`,
  );
}

async function request(url: string, method: string, body?: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const response = await fetch(url, { method, ...(body !== undefined ? { body, headers: { "content-type": "application/json" } } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe("HTTP service: a planner model that fails to load, and one error shape on every route", () => {
  let cluster: ClusterFixture;
  let server: RunningServer;

  before(async () => {
    cluster = await startCluster();
    // The model file does not exist: loading fails right after the server starts listening.
    const config = cluster.config({ llm: { provider: "llama-cpp", modelPath: `${cluster.dir}/missing-model.gguf` } });
    server = await serve({ config, sandbox: "never", env: cluster.env });
  });
  after(async () => {
    try {
      await server.close();
    } finally {
      await cluster.close();
    }
  });

  test("/health says failed (503) with the reason instead of starting forever", async () => {
    let health = await request(`${server.url}/health`, "GET");
    for (let i = 0; i < 200 && health.body["status"] === "starting"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = await request(`${server.url}/health`, "GET");
    }
    assert.equal(health.status, 503);
    assert.equal(health.body["status"], "failed");
    assert.match(String(health.body["reason"]), /planner model failed to load: model file not found: .*missing-model\.gguf/);
  });

  const rows = [
    { label: "an unknown path", method: "GET", path: "/nope", status: 404, code: "not_found", allow: null },
    { label: "GET on a POST route", method: "GET", path: "/k8s-exec", status: 405, code: "method_not_allowed", allow: "POST" },
    { label: "DELETE on /plan", method: "DELETE", path: "/plan", status: 405, code: "method_not_allowed", allow: "POST" },
    { label: "POST on /health", method: "POST", path: "/health", status: 405, code: "method_not_allowed", allow: "GET, HEAD" },
    { label: "a query string does not hide the route", method: "PUT", path: "/validate?x=1", status: 405, code: "method_not_allowed", allow: "POST" },
    { label: "an invalid body", method: "POST", path: "/validate", body: '{"command": 42}', status: 400, code: "invalid_request", allow: null },
    { label: "malformed JSON", method: "POST", path: "/plan", body: "{", status: 400, code: "FST_ERR_CTP_INVALID_JSON_BODY", allow: null },
  ] as const;
  for (const row of rows) {
    test(`${row.label}: ${row.status} ${row.code}${row.allow ? `, Allow: ${row.allow}` : ""}`, async () => {
      const reply = await request(`${server.url}${row.path}`, row.method, "body" in row ? row.body : undefined);
      assert.equal(reply.status, row.status);
      assertErrorShape(reply.body, row.code);
      assert.equal(reply.headers.get("allow"), row.allow);
    });
  }
});

describe("MCP over HTTP has /health", () => {
  let cluster: ClusterFixture;
  let runtime: RagK8s;
  let mcp: { url: string; close(): Promise<void> };

  before(async () => {
    cluster = await startCluster();
    runtime = await createRagK8s({ config: cluster.config(), sandbox: "never", env: cluster.env });
    mcp = await serveStreamableHttp(runtime, { host: "127.0.0.1", port: 0, token: "a-token-of-sixteen-chars", bodyLimitBytes: 65_536 });
  });
  after(async () => {
    try {
      await mcp.close();
      await runtime.close();
    } finally {
      await cluster.close();
    }
  });

  test("GET /health answers 200 without a token and discloses nothing about the target", async () => {
    const health = await request(mcp.url.replace(/\/mcp$/, "/health"), "GET");
    assert.equal(health.status, 200);
    assert.equal(health.body["status"], "ready");
    assert.doesNotMatch(JSON.stringify(health.body), /127\.0\.0\.1|kubeconfig|sandbox/);
  });

  test("a wrong method gets 405 with Allow; /mcp still needs the token", async () => {
    const wrong = await request(mcp.url.replace(/\/mcp$/, "/health"), "POST", "{}");
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get("allow"), "GET, HEAD");
    const unauthorized = await request(mcp.url, "POST", "{}");
    assert.equal(unauthorized.status, 401);
  });
});

describe("Prometheus metric names follow the conventions", () => {
  test("one ragk8s_ prefix, counters end in _total, durations in _seconds", async () => {
    const metrics = await createMetrics().registry.getMetricsAsJSON();
    assert.ok(metrics.length > 10);
    for (const metric of metrics) {
      assert.match(metric.name, /^ragk8s_[a-z0-9_]+$/, metric.name);
      assert.doesNotMatch(metric.name, /ragk8s_.*ragk8s_|process_process_|ragk8s_process_nodejs/, metric.name);
      if (String(metric.type) === "counter") assert.match(metric.name, /_total$/, metric.name);
      if (/duration|_time|lag|cpu/.test(metric.name) && !/_(bytes|total)$/.test(metric.name) && !/^ragk8s_nodejs_eventloop_lag_(min|max|mean|stddev|p\d+)_seconds$/.test(metric.name)) {
        assert.match(metric.name, /_seconds(_total)?$/, metric.name);
      }
    }
    const names = new Set(metrics.map((m) => m.name));
    for (const expected of ["ragk8s_process_cpu_seconds_total", "ragk8s_operations_total", "ragk8s_operation_duration_seconds", "ragk8s_http_request_duration_seconds"]) {
      assert.ok(names.has(expected), `${expected} missing from ${[...names].join(", ")}`);
    }
  });
});
