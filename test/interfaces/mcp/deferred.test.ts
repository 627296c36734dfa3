// `rag-k8s mcp` answers initialize and tools/list before its runtime exists, from a listing computed at build time.
// Pinned here: the early listing is the one a server with a ready runtime gives (every configuration that changes
// it), tool calls wait for the runtime, and a runtime that cannot be built answers calls with its error.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult, Tool } from "@modelcontextprotocol/sdk/types.js";
import type { RagK8s } from "../../../src/app/runtime.js";
import { createIdempotencyStore } from "../../../src/approval/index.js";
import { InFlight } from "../../../src/core/in-flight.js";
import type { ExecResponse } from "../../../src/core/response.js";
import { connectGuarded, createMcpServer } from "../../../src/interfaces/mcp/connect.js";
import { computeToolListing, identifyOutputSchemas } from "../../../src/interfaces/mcp/listing.js";
import type { ListedTool } from "../../../src/interfaces/mcp/listing.js";
import { DeferredRuntime } from "../../../src/interfaces/mcp/tools.js";
import type { ToolHost, ToolOffer } from "../../../src/interfaces/mcp/tools.js";
import { loadPolicy, validateCommand } from "../../../src/policy/index.js";

const policy = loadPolicy();

/** Enough of a runtime for k8s_validate, with the configuration that decides which tools are offered. */
function readyRuntime(offer: ToolOffer): RagK8s {
  return { ...offer, validate: (command: string, options?: { namespace?: string }) => validateCommand(command, policy, options) } as unknown as RagK8s;
}

async function serve(host: ToolHost, listing?: readonly ListedTool[]): Promise<{ client: Client; requests: string[]; close(): Promise<void> }> {
  const server = createMcpServer(host, { inFlight: new InFlight(), idempotency: createIdempotencyStore<ExecResponse>(), client: "in-memory", listing });
  const requests: string[] = [];
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await connectGuarded(server, serverSide, (method) => requests.push(method));
  const client = new Client({ name: "test", version: "0.0.0" });
  await client.connect(clientSide);
  return { client, requests, close: async () => void (await Promise.all([client.close(), server.close()])) };
}

async function listed(host: ToolHost, listing?: readonly ListedTool[]): Promise<Tool[]> {
  const s = await serve(host, listing);
  try {
    return (await s.client.listTools()).tools;
  } finally {
    await s.close();
  }
}

const OFFERS: [string, ToolOffer][] = [
  ["every tool", { config: { mcp: {} }, policy: { modes: { readOnly: false } } }],
  ["read-only (no k8s_exec)", { config: { mcp: {} }, policy: { modes: { readOnly: true } } }],
  ["mcp.tools restricted", { config: { mcp: { tools: ["k8s_read", "k8s_validate"] } }, policy: { modes: { readOnly: false } } }],
];

const never = () => new Promise<RagK8s>(() => {});

function withoutId(tool: Tool): Tool {
  if (!tool.outputSchema) return tool;
  const { $id: _id, ...schema } = tool.outputSchema as Record<string, unknown>;
  return { ...tool, outputSchema: schema as Tool["outputSchema"] };
}

describe("MCP tools listed before the runtime is built", () => {
  for (const [name, offer] of OFFERS) {
    test(`${name}: the same tools and schemas as with a ready runtime, from the SDK and from the build-time listing`, async () => {
      const expected = await listed(readyRuntime(offer));
      assert.ok(expected.length >= 2);
      const deferred = new DeferredRuntime(offer.config, offer.policy, never);
      assert.deepEqual(await listed(deferred), expected, "the SDK's own listing, runtime pending");
      const shipped = await listed(deferred, await computeToolListing());
      assert.deepEqual(shipped, identifyOutputSchemas(expected), "the build-time listing, runtime pending: the same, output schemas identified");
      assert.deepEqual(shipped.map(withoutId), expected, "identifying changes nothing else");
    });
  }

  test("output schemas are identified by their content: one id for the one response schema of exec and plan", async () => {
    const ids = new Map((await computeToolListing()).map((tool) => [tool.name, tool.outputSchema?.["$id"]]));
    assert.match(String(ids.get("k8s_exec")), /^urn:rag-k8s:schema:[0-9a-f]{32}$/);
    assert.notEqual(ids.get("k8s_read"), ids.get("k8s_exec"), "k8s_read answers with its smaller model view");
    assert.equal(ids.get("k8s_plan"), ids.get("k8s_exec"));
    assert.equal(new Set(ids.values()).size, 5, "exec/plan share one; read, search, validate and health have their own");
    const [changed] = identifyOutputSchemas([{ name: "t", inputSchema: { type: "object" }, outputSchema: { type: "object", required: ["x"] } }]);
    const [same] = identifyOutputSchemas([{ name: "t", inputSchema: { type: "object" }, outputSchema: { type: "object" } }]);
    assert.notEqual(changed?.outputSchema?.["$id"], same?.outputSchema?.["$id"]);
  });

  test("listing builds nothing; the first tool call builds the runtime once and waits for it", async () => {
    const offer = OFFERS[0]![1];
    let builds = 0;
    let finish: (runtime: RagK8s) => void = () => {};
    const deferred = new DeferredRuntime(offer.config, offer.policy, () => {
      builds++;
      return new Promise<RagK8s>((resolve) => (finish = resolve));
    });
    const s = await serve(deferred, await computeToolListing());
    try {
      await s.client.listTools();
      assert.equal(builds, 0);
      assert.ok(s.requests.includes("tools/list"), "the server reports the list request, to start building after it");
      const calls = [1, 2].map(() => s.client.callTool({ name: "k8s_validate", arguments: { command: "kubectl delete pod web-0 -n prod" } }) as Promise<CallToolResult>);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(builds, 1);
      finish(readyRuntime(offer));
      for (const result of await Promise.all(calls)) {
        assert.equal(result.isError ?? false, false);
        assert.equal((result.structuredContent as { decision: string }).decision, "deny");
      }
      assert.equal(builds, 1);
    } finally {
      await s.close();
    }
  });

  test("a runtime that cannot be built: calls answer with its error, and the server is told", async () => {
    const offer = OFFERS[0]![1];
    const deferred = new DeferredRuntime(offer.config, offer.policy, () => Promise.reject(new Error("kubeconfig /nowhere does not exist")));
    const s = await serve(deferred);
    try {
      const result = (await s.client.callTool({ name: "k8s_validate", arguments: { command: "kubectl get pods" } })) as CallToolResult;
      assert.equal(result.isError, true);
      assert.match(JSON.stringify(result.content), /kubeconfig \/nowhere does not exist/);
      await assert.rejects(deferred.failure, /kubeconfig \/nowhere/);
      assert.equal(await deferred.built(), undefined);
    } finally {
      await s.close();
    }
  });
});
