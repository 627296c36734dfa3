import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createMetrics } from "../../../src/interfaces/http/metrics.js";
import { HttpConfigError, createHttpServer } from "../../../src/interfaces/http/server.js";
import type { HttpOptions } from "../../../src/interfaces/http/server.js";
import { startHarness } from "../../core/harness.js";
import type { Harness } from "../../core/harness.js";
import { getJson, isRestartPatch, postJson, restartWeb, untilRequest } from "./fixture.js";

const TOKEN = "test-token-0123456789abcdef";
const validateBody = { command: "kubectl get pods -n staging" };

describe("HTTP limits, auth and timeouts over a real socket", () => {
  let h: Harness;
  const apps: FastifyInstance[] = [];

  async function start(overrides: Partial<HttpOptions> = {}): Promise<{ url: string; app: FastifyInstance }> {
    const app = createHttpServer(
      h.runtime,
      { host: "127.0.0.1", bodyLimitBytes: 65_536, concurrency: 64, requestTimeoutMs: 30_000, logLevel: "silent", health: () => ({ target: h.runtime.target.kind }), ...overrides },
      createMetrics(),
    );
    apps.push(app);
    return { url: await app.listen({ host: "127.0.0.1", port: 0 }), app };
  }
  const listen = async (overrides: Partial<HttpOptions> = {}) => (await start(overrides)).url;

  /** Makes the restart's PATCH slow so one exec stays in flight while the test does something else. */
  function slowRestart(ms: number): void {
    h.sandbox.clearRequests();
    h.sandbox.clearDelays();
    h.sandbox.setDelay((r) => r.method === "PATCH" && r.path.endsWith("/deployments/web"), ms);
  }

  before(async () => {
    h = await startHarness({ logLevel: "silent" });
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await h.close();
  });

  test("a body over bodyLimitBytes is refused with 413 before it is parsed", async () => {
    const url = await listen({ bodyLimitBytes: 512 });
    const big = await postJson(`${url}/k8s-exec`, { ...restartWeb, goal: "x".repeat(2000) });
    assert.equal(big.status, 413, JSON.stringify(big.body));
    assert.equal(big.body["error"], "FST_ERR_CTP_BODY_TOO_LARGE");
    const small = await postJson(`${url}/validate`, validateBody);
    assert.equal(small.status, 200, "a body under the limit is served");
  });

  describe("bearer token", () => {
    let url: string;
    before(async () => {
      url = await listen({ token: TOKEN });
    });

    test("a missing token is refused with 401 and a Bearer challenge", async () => {
      const { status, headers, body } = await postJson(`${url}/validate`, validateBody);
      assert.equal(status, 401);
      assert.equal(headers.get("www-authenticate"), "Bearer");
      assert.equal(body["error"], "unauthorized");
    });

    test("a wrong token, a token of another length and a non-Bearer scheme are refused", async () => {
      for (const authorization of [`Bearer ${TOKEN.replace(/.$/, "X")}`, "Bearer short", `Basic ${TOKEN}`, TOKEN]) {
        const { status } = await postJson(`${url}/validate`, validateBody, { authorization });
        assert.equal(status, 401, authorization);
      }
    });

    test("the right token is served; /metrics needs it too; /health stays open", async () => {
      const ok = await postJson(`${url}/validate`, validateBody, { authorization: `Bearer ${TOKEN}` });
      assert.equal(ok.status, 200);
      assert.equal(ok.body["decision"], "allow");
      assert.equal((await fetch(`${url}/metrics`)).status, 401);
      assert.equal((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);
      const health = await getJson(`${url}/health`);
      assert.equal(health.status, 200);
      assert.deepEqual(health.body, { status: "ready" }, "without the token: readiness only");
      const detailed = await getJson(`${url}/health`, { authorization: `Bearer ${TOKEN}` });
      assert.deepEqual(detailed.body, { status: "ready", target: h.runtime.target.kind }, "with the token: the details");
    });

    test("a query string does not open /health's door to other routes", async () => {
      assert.equal((await fetch(`${url}/metrics?/health`)).status, 401);
      assert.equal((await fetch(`${url}/health?x=1`)).status, 200);
    });
  });

  test("refuses to serve off loopback without a token", () => {
    for (const host of ["0.0.0.0", "::", "10.1.2.3", "example.com"]) {
      assert.throws(
        () => createHttpServer(h.runtime, { host, bodyLimitBytes: 1024, concurrency: 1, requestTimeoutMs: 1000, logLevel: "silent", health: () => ({}) }, createMetrics()),
        (error: unknown) => error instanceof HttpConfigError && /token/.test(error.message) && error.message.includes(host),
        host,
      );
    }
    const withToken = createHttpServer(h.runtime, { host: "0.0.0.0", token: TOKEN, bodyLimitBytes: 1024, concurrency: 1, requestTimeoutMs: 1000, logLevel: "silent", health: () => ({}) }, createMetrics());
    apps.push(withToken);
  });

  test("more operations than `concurrency` get 429 with Retry-After; the slot frees when the first finishes", async () => {
    const url = await listen({ concurrency: 1 });
    slowRestart(1500);
    const first = postJson(`${url}/k8s-exec`, restartWeb);
    await untilRequest(h.sandbox, isRestartPatch);
    const refused = await postJson(`${url}/validate`, validateBody);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get("retry-after"), "1");
    assert.equal(refused.body["error"], "too_many_requests");
    assert.equal((await getJson(`${url}/health`)).status, 200, "reads are not counted against the limit");
    const done = await first;
    assert.equal(done.status, 200);
    assert.equal(done.body["status"], "succeeded", String(done.body["stderr"]));
    assert.equal((await postJson(`${url}/validate`, validateBody)).status, 200);
  });

  test("a client that disconnects mid-operation does not keep its concurrency slot", async () => {
    const url = await listen({ concurrency: 1 });
    slowRestart(1000);
    const aborter = new AbortController();
    const abandoned = fetch(`${url}/k8s-exec`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(restartWeb), signal: aborter.signal });
    await untilRequest(h.sandbox, isRestartPatch);
    aborter.abort();
    await assert.rejects(abandoned);
    await h.runtime.executor.drain();
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt++) {
      status = (await postJson(`${url}/validate`, validateBody)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(status, 200, "the slot came back once the abandoned operation finished");
  });

  test("a request over requestTimeoutMs gets 504; close() waits for the operation, which is audited", async () => {
    const { url, app } = await start({ requestTimeoutMs: 300 });
    slowRestart(1500);
    const { status, body } = await postJson(`${url}/k8s-exec`, restartWeb);
    assert.equal(status, 504, JSON.stringify(body));
    assert.equal(body["error"], "timeout");
    assert.match(String(body["message"]), /300 ms/);
    const operationId = String(body["operationId"]);
    assert.match(operationId, /^[0-9a-f-]{36}$/);
    apps.splice(apps.indexOf(app), 1);
    await app.close();
    assert.ok(readFileSync(h.auditPath, "utf8").includes(`"operationId":"${operationId}"`), "the timed-out operation finished and was audited under the id the 504 gave");
  });
});
