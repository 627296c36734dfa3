import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import type { ClientRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createMetrics } from "../../../src/interfaces/http/metrics.js";
import { createHttpServer } from "../../../src/interfaces/http/server.js";
import type { HttpOptions } from "../../../src/interfaces/http/server.js";
import { startHarness } from "../../core/harness.js";
import type { Harness } from "../../core/harness.js";
import { isRestartPatch, postJson, restartWeb, untilRequest } from "./fixture.js";

interface RawReply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

/** A request with headers fetch() will not send (Host) and a body that may stay unfinished. */
function raw(url: string, options: { method?: string; path?: string; headers?: Record<string, string>; body?: string; finish?: boolean }): { done: Promise<RawReply>; req: ClientRequest } {
  const { hostname, port } = new URL(url);
  const body = options.body ?? "";
  const req = httpRequest({
    host: hostname,
    port: Number(port),
    method: options.method ?? "POST",
    path: options.path ?? "/k8s-exec",
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body) + (options.finish === false ? 10 : 0)), ...options.headers },
  });
  const done = new Promise<RawReply>((resolve, reject) => {
    req.once("error", reject);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
      });
    });
  });
  req.write(body);
  if (options.finish !== false) req.end();
  return { done, req };
}

const validateBody = JSON.stringify({ command: "kubectl get pods -n staging" });
const scale = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } };

describe("HTTP hardening: Host/Origin, slow bodies, per-client cap, Idempotency-Key, approvals, prototype keys", () => {
  let h: Harness;
  const apps: FastifyInstance[] = [];

  async function listen(overrides: Partial<HttpOptions> = {}): Promise<string> {
    const app = createHttpServer(
      h.runtime,
      { host: "127.0.0.1", bodyLimitBytes: 65_536, concurrency: 64, requestTimeoutMs: 30_000, logLevel: "silent", health: () => ({}), ...overrides },
      createMetrics(),
    );
    apps.push(app);
    return app.listen({ host: "127.0.0.1", port: 0 });
  }
  const mutations = () => h.sandbox.requests.filter((r) => r.method !== "GET");

  before(async () => {
    h = await startHarness({ logLevel: "silent" });
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await h.close();
  });

  test("Host and Origin must be loopback names with the port, or listed in allowedHosts: otherwise 403 and nothing runs", async () => {
    const url = await listen({ allowedHosts: ["rag-k8s.internal"] });
    const port = new URL(url).port;
    h.sandbox.clearRequests();
    const rows: readonly { headers: Record<string, string>; status: number; why?: RegExp }[] = [
      { headers: { host: "attacker.example" }, status: 403, why: /Host "attacker\.example" is not a name this server answers to.*DNS-rebinding/ },
      { headers: { host: `attacker.example:${port}` }, status: 403, why: /http\.allowedHosts/ },
      { headers: { host: "localhost:1" }, status: 403, why: /not a name/ },
      { headers: { host: `127.0.0.1:${port}`, origin: "http://attacker.example" }, status: 403, why: /Origin "http:\/\/attacker\.example" is not allowed/ },
      { headers: { host: `127.0.0.1:${port}`, origin: "null" }, status: 403, why: /Origin "null"/ },
      { headers: { host: `127.0.0.1:${port}`, origin: `http://localhost:${port}` }, status: 200 },
      { headers: { host: `LOCALHOST:${port}` }, status: 200 },
      { headers: { host: `[::1]:${port}` }, status: 200 },
      { headers: { host: `rag-k8s.internal:${port}`, origin: `https://rag-k8s.internal:${port}` }, status: 200 },
    ];
    for (const row of rows) {
      const reply = await raw(url, { headers: row.headers, body: JSON.stringify({ ...restartWeb, constraints: { dryRun: true } }) }).done;
      assert.equal(reply.status, row.status, `${JSON.stringify(row.headers)}: ${JSON.stringify(reply.body)}`);
      if (row.why) {
        assert.equal(reply.body["error"], "forbidden_host");
        assert.match(String(reply.body["message"]), row.why);
      }
    }
    const health = await raw(url, { method: "GET", path: "/health", headers: { host: "attacker.example" } }).done;
    assert.equal(health.status, 403, "every route is checked, /health included");
    assert.equal(mutations().length, 0, "no refused request reached the cluster (the allowed ones were dry runs kubectl cannot do server-side)");
  });

  test("every answer is counted in the HTTP metrics by route and code, refusals on arrival and unknown routes included", async () => {
    const metrics = createMetrics();
    const token = "metrics-test-token-0123456789";
    const app = createHttpServer(
      h.runtime,
      { host: "127.0.0.1", token, bodyLimitBytes: 65_536, concurrency: 64, requestTimeoutMs: 30_000, logLevel: "silent", health: () => ({}) },
      metrics,
    );
    apps.push(app);
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    const authorization = `Bearer ${token}`;
    const rows: readonly { method?: string; path: string; headers: Record<string, string>; status: number }[] = [
      { path: "/validate", headers: { host: "attacker.example", authorization }, status: 403 },
      { path: "/validate", headers: {}, status: 401 },
      { method: "GET", path: "/nowhere", headers: { authorization }, status: 404 },
      { path: "/validate", headers: { authorization }, status: 200 },
      { path: "/validate", headers: { authorization }, status: 200 },
    ];
    for (const row of rows) {
      const reply = await raw(url, { path: row.path, headers: row.headers, body: validateBody, ...(row.method ? { method: row.method } : {}) }).done;
      assert.equal(reply.status, row.status, `${row.path} ${JSON.stringify(row.headers)}`);
    }
    const text = await metrics.registry.metrics();
    const count = (route: string, code: number) => Number(new RegExp(`ragk8s_http_request_duration_seconds_count\\{route="${route}",code="${code}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
    assert.deepEqual(
      [count("/validate", 403), count("/validate", 401), count("unknown", 404), count("/validate", 200)],
      [1, 1, 1, 2],
      text.split("\n").filter((l) => l.startsWith("ragk8s_http_request_duration_seconds_count")).join("\n"),
    );
  });

  test("a body that does not arrive within bodyTimeoutMs gets 408 and never holds an operation slot", async () => {
    const url = await listen({ bodyTimeoutMs: 300, concurrency: 1, perClientConcurrency: 4 });
    const slow = raw(url, { path: "/validate", body: validateBody.slice(0, 10), finish: false });
    // While the upload stalls, the only operation slot is free for others.
    const other = await postJson(`${url}/validate`, JSON.parse(validateBody));
    assert.equal(other.status, 200);
    const reply = await slow.done;
    assert.equal(reply.status, 408);
    assert.match(String(reply.body["message"]), /did not arrive within 300 ms/);
    assert.equal(reply.headers["connection"], "close");
  });

  test("one client cannot hold more than perClientConcurrency requests open", async () => {
    const url = await listen({ bodyTimeoutMs: 2_000, perClientConcurrency: 1 });
    const stalled = raw(url, { path: "/validate", body: "{", finish: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const refused = await postJson(`${url}/validate`, JSON.parse(validateBody));
    assert.equal(refused.status, 429);
    assert.match(String(refused.body["message"]), /already has 1 requests open/);
    stalled.req.destroy();
    await stalled.done.catch(() => {});
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      status = (await postJson(`${url}/validate`, JSON.parse(validateBody))).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(status, 200, "the place comes back when the connection goes");
  });

  test("Idempotency-Key: a retry is answered from the first run (replayed), a duplicate in flight waits, another body is 422", async () => {
    const url = await listen();
    h.sandbox.clearDelays();
    h.sandbox.setDelay((r) => r.method === "PATCH" && r.path.endsWith("/deployments/web"), 400);
    h.sandbox.clearRequests();
    const key = { "idempotency-key": "restart-web-0001" };
    const [first, duplicate] = await Promise.all([postJson(`${url}/k8s-exec`, restartWeb, key), postJson(`${url}/k8s-exec`, restartWeb, key)]);
    h.sandbox.clearDelays();
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(duplicate.status, 200);
    const again = await postJson(`${url}/k8s-exec`, { ...restartWeb }, key);
    assert.equal(again.body["replayed"], true);
    assert.equal(again.headers.get("idempotent-replayed"), "true");
    assert.equal(again.body["operationId"], first.body["operationId"]);
    assert.equal(duplicate.body["operationId"], first.body["operationId"]);
    assert.equal(h.sandbox.requests.filter(isRestartPatch).length, 1, "the restart ran once");
    const conflict = await postJson(`${url}/k8s-exec`, { ...restartWeb, name: "worker" }, key);
    assert.equal(conflict.status, 422);
    assert.equal(conflict.body["error"], "idempotency_conflict");
    const invalid = await postJson(`${url}/k8s-exec`, restartWeb, { "idempotency-key": "has space" });
    assert.equal(invalid.status, 400);
    assert.match(String(invalid.body["message"]), /Idempotency-Key header/);
  });

  test("a 504 names the Idempotency-Key, and a retry with the key gets the first run's answer instead of running again", async () => {
    const url = await listen({ requestTimeoutMs: 200 });
    const worker = { ...restartWeb, name: "worker" };
    const isWorkerPatch = (r: { method: string; path: string }) => r.method === "PATCH" && r.path.endsWith("/deployments/worker");
    h.sandbox.clearRequests();
    h.sandbox.setDelay(isWorkerPatch, 600);
    const key = { "idempotency-key": "restart-worker-0001" };
    const timedOut = await postJson(`${url}/k8s-exec`, worker, key);
    assert.equal(timedOut.status, 504);
    assert.match(String(timedOut.body["message"]), /Idempotency-Key/);
    await untilRequest(h.sandbox, isWorkerPatch);
    h.sandbox.clearDelays();
    let retry = await postJson(`${url}/k8s-exec`, worker, key);
    for (let attempt = 0; attempt < 20 && retry.status === 504; attempt++) retry = await postJson(`${url}/k8s-exec`, worker, key);
    assert.equal(retry.status, 200, JSON.stringify(retry.body));
    assert.equal(retry.body["replayed"], true);
    assert.equal(retry.body["operationId"], timedOut.body["operationId"]);
    assert.equal(h.sandbox.requests.filter(isWorkerPatch).length, 1, "the restart ran once");
  });

  test("approval over HTTP: confirm alone is refused; a forged, another plan's or a used token is refused; the answer's own token runs it", async () => {
    const url = await listen();
    h.sandbox.clearRequests();
    const asked = await postJson(`${url}/k8s-exec`, scale);
    assert.equal(asked.body["status"], "awaiting_confirmation");
    const token = String(asked.body["confirmToken"]);
    assert.match(token, /^rk1\./);
    assert.ok(Date.parse(String(asked.body["expiresAt"])) > Date.now());
    const other = String((await postJson(`${url}/k8s-exec`, { ...scale, params: { replicas: 4 } })).body["confirmToken"]);
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const constraints of [{ confirm: true }, { confirm: true, confirmToken: forged }, { confirm: true, confirmToken: other }]) {
      const refused = await postJson(`${url}/k8s-exec`, { ...scale, constraints });
      assert.equal(refused.body["status"], "awaiting_confirmation", JSON.stringify(constraints));
    }
    assert.equal(mutations().length, 0);
    const approved = await postJson(`${url}/k8s-exec`, { ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal(approved.body["status"], "succeeded", JSON.stringify(approved.body));
    const replayed = await postJson(`${url}/k8s-exec`, { ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal(replayed.body["status"], "awaiting_confirmation");
    assert.match(String(replayed.body["message"]), /already used/);
    const oldFormat = await postJson(`${url}/k8s-exec`, { ...scale, constraints: { confirm: true, confirmToken: "0123456789abcdef" } });
    assert.equal(oldFormat.status, 400);
  });

  test("a __proto__, constructor or prototype key in params is a 400 input error, not dropped", async () => {
    const url = await listen();
    h.sandbox.clearRequests();
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const body = `{"intent":"restart","resource":"deployment","namespace":"staging","name":"web","params":{"${key}":{"replicas":0}}}`;
      const reply = await raw(url, { headers: { host: new URL(url).host }, body }).done;
      assert.equal(reply.status, 400, `${key}: ${JSON.stringify(reply.body)}`);
    }
    const plain = await raw(url, { headers: { host: new URL(url).host }, body: `{"intent":"restart","resource":"deployment","namespace":"staging","name":"web","params":{"constructor":"x"}}` }).done;
    assert.equal(plain.status, 400);
    assert.match(String(plain.body["message"]), /params\.constructor: "constructor" is not allowed as a key/);
    assert.equal(mutations().length, 0);
  });
});
