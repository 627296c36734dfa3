import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../../../src/config/index.js";
import { serve } from "../../../src/interfaces/http/serve.js";
import { defaultPerClientConcurrency } from "../../../src/interfaces/shared/http.js";
import type { RunningServer } from "../../../src/interfaces/http/serve.js";
import { postJson } from "./fixture.js";

describe("http.perClientConcurrency default", () => {
  const rows = [
    { host: "127.0.0.1", concurrency: 256, expected: 256, why: "loopback: every local client shares the address" },
    { host: "::1", concurrency: 64, expected: 64, why: "IPv6 loopback" },
    { host: "localhost", concurrency: 8, expected: 8, why: "loopback by name" },
    { host: "0.0.0.0", concurrency: 256, expected: 16, why: "every interface: remote clients are distinct addresses" },
    { host: "10.0.0.5", concurrency: 256, expected: 16, why: "a LAN address" },
  ];
  for (const row of rows) {
    test(`${row.host} → ${row.expected} (${row.why})`, () => {
      assert.equal(defaultPerClientConcurrency({ host: row.host, concurrency: row.concurrency }), row.expected);
    });
  }
});

describe("HTTP bodies sent again", () => {
  let dir: string;
  let server: RunningServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "rag-k8s-http-repeat-"));
    const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
    const { config } = loadConfig({ cwd: dir, env, overrides: { logLevel: "silent", http: { port: 0 }, audit: { path: join(dir, "audit.jsonl") }, retrieval: { cacheDir: join(dir, "cache") } } });
    server = await serve({ config, sandbox: "never", env });
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the same body gets the same plan each time, each with its own operation", async () => {
    const body = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } };
    const [a, b] = [await postJson(`${server.url}/plan`, body), await postJson(`${server.url}/plan`, body)];
    assert.equal(a.status, 200);
    assert.equal(b.status, 200);
    assert.deepEqual(b.body["plan"], a.body["plan"]);
    assert.deepEqual(b.body["validation"], a.body["validation"]);
    assert.notEqual(b.body["operationId"], a.body["operationId"]);
    assert.notEqual(b.body["confirmToken"], a.body["confirmToken"], "each ask issues its own token");
  });

  test("a refused body is refused every time it is sent", async () => {
    const rows = [
      { body: "{", status: 400, error: "FST_ERR_CTP_INVALID_JSON_BODY" },
      { body: '{"intent":"restart","resource":"deployment","name":"web","__proto__":{"x":1}}', status: 400, error: null },
      { body: '{"intent":"restart","resource":"deployment","namespace":"NOT valid","name":"web"}', status: 400, error: "invalid_request" },
      { body: '{"intent":"restart","resource":"deployment","name":"web","extra":true}', status: 400, error: "invalid_request" },
    ];
    for (const row of rows) {
      for (let i = 0; i < 3; i++) {
        const reply = await postJson(`${server.url}/plan`, row.body);
        assert.equal(reply.status, row.status, `${row.body} (#${i + 1}): ${JSON.stringify(reply.body)}`);
        if (row.error) assert.equal(reply.body["error"], row.error);
      }
    }
  });

  test("with the defaults on loopback, 40 requests at once from one address are all served", async () => {
    const body = { intent: "status", resource: "deployment", namespace: "staging", name: "web" };
    const replies = await Promise.all(Array.from({ length: 40 }, () => postJson(`${server.url}/plan`, body)));
    assert.deepEqual([...new Set(replies.map((r) => r.status))], [200]);
  });
});
