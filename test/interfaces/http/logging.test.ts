import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { createMetrics } from "../../../src/interfaces/http/metrics.js";
import { createHttpServer } from "../../../src/interfaces/http/server.js";
import { startHarness } from "../../core/harness.js";
import type { Harness } from "../../core/harness.js";
import { postJson } from "./fixture.js";

type Line = Record<string, unknown>;

const statusWeb = { intent: "status", resource: "deployment", namespace: "staging", name: "web" } as const;
const planWeb = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } as const;

/** Polls (bounded) until `lines` holds an entry matching `match`; the log line is written after the response. */
async function untilLogged(lines: Line[], match: (line: Line) => boolean): Promise<Line> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const hit = lines.find(match);
    if (hit) return hit;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no matching log line; got ${JSON.stringify(lines)}`);
}

describe("HTTP request log: one line per request, executions at info", () => {
  let h: Harness;
  const apps: FastifyInstance[] = [];

  async function listen(logLevel: string, token?: string): Promise<{ url: string; lines: Line[] }> {
    const lines: Line[] = [];
    const app = createHttpServer(
      h.runtime,
      {
        host: "127.0.0.1",
        bodyLimitBytes: 65_536,
        concurrency: 64,
        requestTimeoutMs: 30_000,
        logLevel,
        token,
        logStream: { write: (line: string) => void lines.push(JSON.parse(line) as Line) },
        health: () => ({}),
      },
      createMetrics(),
    );
    apps.push(app);
    return { url: await app.listen({ host: "127.0.0.1", port: 0 }), lines };
  }

  before(async () => {
    h = await startHarness({ logLevel: "silent" });
  });
  after(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await h.close();
  });

  test("at info an execution gets exactly one line with its outcome; plans and validations get none", async () => {
    const { url, lines } = await listen("info");
    const plan = await postJson(`${url}/plan`, planWeb);
    assert.equal(plan.status, 200, JSON.stringify(plan.body));
    assert.equal((await postJson(`${url}/validate`, { command: "kubectl get pods -n staging" })).status, 200);
    const exec = await postJson(`${url}/k8s-exec`, statusWeb);
    assert.equal(exec.status, 200, JSON.stringify(exec.body));
    const line = await untilLogged(lines, (l) => l["route"] === "/k8s-exec");
    assert.equal(line["msg"], "request completed");
    assert.equal(line["reqId"], exec.body["operationId"]);
    assert.equal(line["statusCode"], 200);
    assert.equal(line["status"], exec.body["status"]);
    assert.equal(typeof line["ms"], "number");
    const perRequest = lines.filter((l) => l["reqId"] !== undefined);
    assert.deepEqual(perRequest.map((l) => l["route"]), ["/k8s-exec"], "only the execution is logged, once");
  });

  test("at info a request with a wrong token is logged", async () => {
    const { url, lines } = await listen("info", "test-token-0123456789abcdef");
    assert.equal((await postJson(`${url}/plan`, planWeb, { authorization: "Bearer wrong" })).status, 401);
    const line = await untilLogged(lines, (l) => l["statusCode"] === 401);
    assert.equal(line["route"], "/plan");
  });

  test("at debug every request gets exactly one line", async () => {
    const { url, lines } = await listen("debug");
    const plan = await postJson(`${url}/plan`, planWeb);
    assert.equal(plan.status, 200);
    const line = await untilLogged(lines, (l) => l["route"] === "/plan");
    assert.equal(line["reqId"], plan.body["operationId"]);
    assert.equal(line["status"], plan.body["status"]);
    assert.equal(line["decision"], plan.body["decision"]);
    assert.equal(lines.filter((l) => l["reqId"] === plan.body["operationId"]).length, 1);
  });
});
