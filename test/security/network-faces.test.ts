/**
 * Red-team family: the network faces. Host/Origin look-alikes (DNS rebinding, userinfo, trailing dots, other
 * spellings of loopback), Idempotency-Key reuse with another body or another approval, and confirmation over
 * HTTP and MCP streamable HTTP: confirm:true without a token never runs anything.
 */
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyInstance } from "fastify";
import { createMetrics } from "../../src/interfaces/http/metrics.js";
import { createHttpServer } from "../../src/interfaces/http/server.js";
import { serveStreamableHttp } from "../../src/interfaces/mcp/server.js";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

const scaleToZero = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 0 } };

function post(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const { hostname, port } = new URL(url);
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port: Number(port), method: "POST", path: "/k8s-exec", headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)), ...headers } });
    req.once("error", reject);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown> }));
    });
    req.end(text);
  });
}

/** The status line of a request written byte for byte (duplicate Host headers, absolute-form targets). */
function rawStatus(url: string, head: string, body: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let out = "";
    socket.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    socket.on("error", reject);
    socket.on("close", () => resolve(out.split("\r\n")[0] ?? ""));
    socket.write(`${head}content-type: application/json\r\naccept: application/json, text/event-stream\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
}

describe("red team: HTTP and MCP-over-HTTP faces", () => {
  let h: Harness;
  let app: FastifyInstance;
  let url: string;
  let port: string;
  let mcp: { url: string; close(): Promise<void> };
  const writes = () => h.sandbox.requests.filter((r) => r.method !== "GET" && r.query["dryRun"] !== "All");

  before(async () => {
    h = await startHarness({ logLevel: "silent" });
    app = createHttpServer(h.runtime, { host: "127.0.0.1", bodyLimitBytes: 65_536, concurrency: 8, requestTimeoutMs: 30_000, logLevel: "silent", health: () => ({}) }, createMetrics());
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    port = new URL(url).port;
    mcp = await serveStreamableHttp(h.runtime, { host: "127.0.0.1", port: 0, bodyLimitBytes: 65_536 });
  });
  after(async () => {
    await app.close();
    await mcp.close();
    await h.close();
  });

  test("Host look-alikes are refused before anything runs", async () => {
    h.sandbox.clearRequests();
    const hosts = [
      `127.0.0.1.attacker.example:${port}`,
      `localhost.:${port}`,
      `localhost.attacker.example:${port}`,
      `attacker.example:${port}@127.0.0.1:${port}`,
      `127.0.0.1:${port}.attacker.example`,
      `127.1:${port}`,
      `2130706433:${port}`,
      `0.0.0.0:${port}`,
      `[::ffff:127.0.0.1]:${port}`,
      `127.0.0.1:${port} attacker.example`,
      `127.0.0.1`,
    ];
    for (const host of hosts) {
      const reply = await post(url, { host }, { ...scaleToZero, constraints: { confirm: true } });
      assert.ok(reply.status === 403 || reply.status === 400, `Host ${JSON.stringify(host)} → ${reply.status} ${JSON.stringify(reply.body)}`);
    }
    assert.deepEqual(writes(), []);
  });

  test("an ambiguous Host (none, empty, two, or an absolute-form target naming another) is refused on both servers (finding: the first of two Hosts, or the Host beside an absolute-form target, was checked)", async () => {
    h.sandbox.clearRequests();
    const exec = JSON.stringify({ intent: "restart", resource: "deployment", namespace: "staging", name: "web" });
    const mcpCall = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "k8s_exec", arguments: { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } } });
    for (const [server, path, body] of [[url, "/k8s-exec", exec], [mcp.url, "/mcp", mcpCall]] as const) {
      const local = new URL(server).host;
      const heads = [
        `POST ${path} HTTP/1.1\r\nHost:\r\n`,
        `POST ${path} HTTP/1.0\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: ${local}\r\nHost: attacker.example\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: attacker.example\r\nHost: ${local}\r\n`,
        `POST http://attacker.example${path} HTTP/1.1\r\nHost: ${local}\r\n`,
        `POST ${path} HTTP/1.1\r\nHost: ${local}\r\nOrigin: http://attacker.example\r\nOrigin: http://${local}\r\n`,
      ];
      for (const head of heads) {
        const status = await rawStatus(server, head, body);
        assert.match(status, / (400|403) /, `${JSON.stringify(head)} → ${status}`);
      }
    }
    assert.deepEqual(writes(), []);
  });

  test("Origin look-alikes are refused", async () => {
    const origins = [
      `http://127.0.0.1:${port}.attacker.example`,
      `http://localhost:${port}@attacker.example`,
      `http://attacker.example/?http://127.0.0.1:${port}`,
      `file://`,
      `http://127.0.0.1:${Number(port) + 1}`,
      `chrome-extension://abcdef`,
      "null",
    ];
    for (const origin of origins) {
      const reply = await post(url, { host: `127.0.0.1:${port}`, origin }, { ...scaleToZero, constraints: { confirm: true } });
      assert.equal(reply.status, 403, `Origin ${origin} → ${reply.status}`);
    }
    assert.deepEqual(writes(), []);
  });

  test("confirm:true over HTTP waits; an Idempotency-Key never turns a waiting answer into a run or serves another body", async () => {
    h.sandbox.clearRequests();
    const host = { host: `127.0.0.1:${port}` };
    const key = { ...host, "idempotency-key": "redteam-scale-0001" };
    const waiting = await post(url, key, { ...scaleToZero, constraints: { confirm: true } });
    assert.equal(waiting.body["status"], "awaiting_confirmation");
    const token = String(waiting.body["confirmToken"]);
    const sameKeyApproved = await post(url, key, { ...scaleToZero, constraints: { confirm: true, confirmToken: token } });
    assert.equal(sameKeyApproved.status, 422, "another body under a used key is a conflict, not the first answer");
    const sameKeyOtherTarget = await post(url, key, { ...scaleToZero, name: "worker", constraints: { confirm: true } });
    assert.equal(sameKeyOtherTarget.status, 422);
    assert.deepEqual(writes(), []);
    const replay = await post(url, key, { ...scaleToZero, constraints: { confirm: true } });
    assert.equal(replay.body["status"], "awaiting_confirmation");
    assert.deepEqual(writes(), [], "a replayed waiting answer ran nothing");
  });

  test("MCP over HTTP: confirm:true alone waits, and a wrong Host is refused", async () => {
    h.sandbox.clearRequests();
    const client = new Client({ name: "redteam", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url)));
    try {
      for (const args of [{ ...scaleToZero, constraints: { confirm: true } }, { command: "kubectl cordon worker-1", constraints: { confirm: true } }, { goal: "drain node worker-1", constraints: { confirm: true } }]) {
        const result = (await client.callTool({ name: "k8s_exec", arguments: args })) as CallToolResult;
        const status = (result.structuredContent as { status?: string } | undefined)?.status;
        assert.notEqual(status, "succeeded", JSON.stringify(args));
      }
      const read = (await client.callTool({ name: "k8s_read", arguments: { command: "kubectl scale deployment/web --replicas=0 -n staging" } })) as CallToolResult;
      assert.equal((read.structuredContent as { status: string }).status, "denied");
    } finally {
      await client.close();
    }
    const { port: mcpPort } = new URL(mcp.url);
    const rebinding = await fetch(mcp.url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", origin: `http://attacker.example:${mcpPort}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "k8s_exec", arguments: { ...scaleToZero } } }),
    });
    assert.equal(rebinding.status, 403);
    assert.deepEqual(writes(), []);
  });
});
