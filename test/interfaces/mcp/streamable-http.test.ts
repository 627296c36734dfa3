import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { HttpConfigError } from "../../../src/interfaces/http/server.js";
import { serveStreamableHttp } from "../../../src/interfaces/mcp/server.js";
import { startHarness } from "../../core/harness.js";
import type { Harness } from "../../core/harness.js";

const TOKEN = "mcp-test-token-0123456789";
const restart = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } as const;
const isRestartPatch = (r: { method: string; path: string }, name = "web") => r.method === "PATCH" && r.path.endsWith(`/deployments/${name}`);
// kubectl refuses a second restart of one deployment within the same second, so this test restarts another one.
const restartWorker = { ...restart, name: "worker" } as const;

describe("MCP over streamable HTTP (stateless) with the SDK client", () => {
  let h: Harness;
  let server: { url: string; close(): Promise<void> };
  const clients: Client[] = [];

  async function connect(token = TOKEN): Promise<Client> {
    const client = new Client({ name: "rag-k8s-test", version: "0.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    clients.push(client);
    return client;
  }

  before(async () => {
    h = await startHarness({ logLevel: "silent" });
    server = await serveStreamableHttp(h.runtime, { host: "127.0.0.1", port: 0, token: TOKEN, bodyLimitBytes: 4096 });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    await h.close();
  });

  test("serves the tools and runs an operation on the cluster", async () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const client = await connect();
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["k8s_exec", "k8s_health", "k8s_plan", "k8s_read", "k8s_search", "k8s_validate"]);
    const verdict = (await client.callTool({ name: "k8s_validate", arguments: { command: "kubectl delete pod x -n prod" } })) as CallToolResult;
    assert.equal((verdict.structuredContent as { decision: string }).decision, "deny");
    const done = (await client.callTool({ name: "k8s_exec", arguments: restart })) as CallToolResult;
    const response = done.structuredContent as { status: string; operationId: string };
    assert.equal(response.status, "succeeded", JSON.stringify(done.content));
    const deployment = h.sandbox.get("deployments", "staging", "web") as unknown as { spec: { template: { metadata: { annotations?: Record<string, string> } } } };
    assert.ok(deployment.spec.template.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]);
  });

  test("refuses a wrong token, other paths, other methods and oversized bodies", async () => {
    await assert.rejects(connect("wrong-token-0123456789xx"), /401|unauthorized/i);
    const post = (path: string, body: string, token = TOKEN) =>
      fetch(new URL(path, server.url), {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
        body,
      });
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    assert.equal((await post("/mcp", ping)).status, 200);
    assert.equal((await post("/mcp?trace=1", ping)).status, 200, "a query string is still /mcp");
    assert.equal((await post("/other", ping)).status, 404);
    assert.equal((await fetch(server.url, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 405);
    const big = await post("/mcp", JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping", params: { pad: "x".repeat(8000) } }));
    assert.equal(big.status, 413);
    assert.equal((await post("/mcp", "{not json")).status, 400);
    const poisoned = `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"k8s_exec","arguments":{"intent":"restart","resource":"deployment","namespace":"staging","name":"web","params":{"__proto__":{"x":1}}}}}`;
    const refused = (await (await post("/mcp", poisoned)).json()) as { result?: { isError?: boolean; content?: { text: string }[] } };
    assert.equal(refused.result?.isError, true);
    assert.match(refused.result?.content?.[0]?.text ?? "", /arguments\.params\.__proto__: "__proto__" is not allowed/);
  });

  test("a foreign Host (DNS rebinding) or Origin is refused with 403 before anything runs; loopback names pass", async () => {
    const { port } = new URL(server.url);
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" });
    const send = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({
          host: "127.0.0.1",
          port: Number(port),
          method: "POST",
          path: "/mcp",
          headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", accept: "application/json, text/event-stream", ...headers },
        });
        req.once("error", reject);
        req.once("response", (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.end(ping);
      });
    const rebinding = await send({ host: `attacker.example:${port}` });
    assert.equal(rebinding.status, 403);
    assert.match(rebinding.body, /Host \\"attacker\.example:\d+\\" is not a name this server answers to/);
    const crossSite = await send({ host: `127.0.0.1:${port}`, origin: "http://attacker.example" });
    assert.equal(crossSite.status, 403);
    assert.match(crossSite.body, /Origin/);
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) assert.equal((await send({ host, origin: `http://${host}` })).status, 200, host);
  });

  test("refuses to serve off loopback without a token", async () => {
    await assert.rejects(serveStreamableHttp(h.runtime, { host: "0.0.0.0", port: 0, bodyLimitBytes: 4096 }), HttpConfigError);
  });

  test("close() waits for a running tool call, which still answers", { timeout: 30_000 }, async () => {
    const client = await connect();
    h.sandbox.clearRequests();
    h.sandbox.setDelay((r) => isRestartPatch(r, "worker"), 1500);
    const running = client.callTool({ name: "k8s_exec", arguments: restartWorker }) as Promise<CallToolResult>;
    const deadline = Date.now() + 20_000;
    while (!h.sandbox.requests.some((r) => isRestartPatch(r, "worker")) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const closed = server.close();
    const result = await running;
    await closed;
    assert.equal((result.structuredContent as { status: string }).status, "succeeded", JSON.stringify(result.structuredContent).slice(0, 1500));
    await assert.rejects(fetch(server.url, { method: "POST" }), "no new connections after close");
  });
});
