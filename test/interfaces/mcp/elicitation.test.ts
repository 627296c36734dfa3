import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { CallToolResult, ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { createIdempotencyStore } from "../../../src/approval/index.js";
import { defaultMutationsPath } from "../../../src/audit/index.js";
import type { ExecResponse } from "../../../src/core/response.js";
import { registerTools } from "../../../src/interfaces/mcp/tools.js";
import { startHarness } from "../../core/harness.js";
import type { Harness } from "../../core/harness.js";

const scale = (replicas: number) => ({ intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas } });

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

/** A connected SDK client; with `answer`, it declares elicitation and answers each request with it (recording the question). */
async function connect(h: Harness, answer?: ElicitResult): Promise<{ client: Client; asked: string[]; close(): Promise<void> }> {
  const server = new McpServer({ name: "rag-k8s", version: "0.0.0" });
  registerTools(server, h.runtime, { idempotency: createIdempotencyStore<ExecResponse>(), client: "in-memory" });
  const client = new Client({ name: "test", version: "0.0.0" }, answer ? { capabilities: { elicitation: {} } } : {});
  const asked: string[] = [];
  if (answer) {
    client.setRequestHandler(ElicitRequestSchema, async (request) => {
      asked.push(String(request.params.message));
      return answer;
    });
  }
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  await client.connect(clientSide);
  return { client, asked, close: async () => void (await Promise.all([client.close(), server.close()])) };
}

const call = async (client: Client, args: Record<string, unknown>) => (await client.callTool({ name: "k8s_exec", arguments: args })) as CallToolResult;
const status = (result: CallToolResult) => (result.structuredContent as { status: string }).status;
const replicas = (h: Harness) => (h.sandbox.get("deployments", "staging", "web") as unknown as { spec: { replicas: number } }).spec.replicas;
const lastIntent = (h: Harness) => JSON.parse(readFileSync(defaultMutationsPath(h.auditPath), "utf8").trim().split("\n").filter((l) => l.includes('"intent"')).at(-1) ?? "{}") as Record<string, unknown>;

describe("MCP elicitation: the person approves in the client, not the model", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ logLevel: "silent" });
  });
  after(async () => {
    await h.close();
  });

  test("a client with elicitation is asked; an explicit accept runs exactly the plan shown, recorded as approved by elicitation", async () => {
    const { client, asked, close } = await connect(h, { action: "accept", content: { approve: true } });
    try {
      const result = await call(client, scale(5));
      assert.equal(status(result), "succeeded", text(result));
      assert.equal(asked.length, 1);
      assert.match(asked[0] ?? "", /kubectl scale deployment\/web -n staging --replicas=5/);
      assert.equal(replicas(h), 5);
      assert.equal(lastIntent(h)["approval"], "elicitation");
    } finally {
      await close();
    }
  });

  const refusals: readonly { name: string; answer: ElicitResult }[] = [
    { name: "decline", answer: { action: "decline" } },
    { name: "cancel", answer: { action: "cancel" } },
    { name: "accept without approve", answer: { action: "accept", content: { approve: false } } },
  ];
  for (const row of refusals) {
    test(`${row.name} runs nothing, even with a valid token and confirm from the model`, async () => {
      const model = await connect(h);
      const token = (await call(model.client, scale(6))).structuredContent as { confirmToken: string };
      await model.close();
      const { client, asked, close } = await connect(h, row.answer);
      try {
        const before = replicas(h);
        const result = await call(client, { ...scale(6), constraints: { confirm: true, confirmToken: token.confirmToken } });
        assert.equal(status(result), "awaiting_confirmation");
        assert.match(text(result), /did not approve/);
        assert.equal(asked.length, 1, "the person was asked although the model sent an approval");
        assert.equal(replicas(h), before);
      } finally {
        await close();
      }
    });
  }

  test("a client without elicitation gets the two-step token flow; confirm alone is refused", async () => {
    const { client, close } = await connect(h);
    try {
      const alone = await call(client, { ...scale(7), constraints: { confirm: true } });
      assert.equal(status(alone), "awaiting_confirmation");
      const token = (alone.structuredContent as { confirmToken: string }).confirmToken;
      const approved = await call(client, { ...scale(7), constraints: { confirm: true, confirmToken: token } });
      assert.equal(status(approved), "succeeded", text(approved));
      assert.equal(lastIntent(h)["approval"], "token");
    } finally {
      await close();
    }
  });

  test("idempotencyKey: the same call again is answered from the first run, another call with the key is refused", async () => {
    const { client, close } = await connect(h);
    try {
      const restart = { intent: "restart", resource: "deployment", namespace: "staging", name: "payments-api", idempotencyKey: "mcp-restart-1" };
      h.sandbox.clearRequests();
      const first = await call(client, restart);
      assert.equal(status(first), "succeeded", text(first));
      const again = await call(client, restart);
      assert.match(text(again), /^REPLAYED/);
      assert.equal((again.structuredContent as { replayed?: boolean }).replayed, true);
      assert.equal((again.structuredContent as { operationId: string }).operationId, (first.structuredContent as { operationId: string }).operationId);
      assert.equal(h.sandbox.requests.filter((r) => r.method === "PATCH").length, 1, "it ran once");
      const conflict = await call(client, { ...restart, name: "web" });
      assert.equal(conflict.isError, true);
      assert.match(text(conflict), /already used with a different request/);
    } finally {
      await close();
    }
  });

  test("tool text and structuredContent are cleaned of terminal escape sequences (clipboard write, screen clear, fake colour)", async () => {
    const hostile = "\u001b]52;c;ZWNobyBoaQ==\u0007pod log line\u001b[2J\u001b[32mPASSED\u001b[0m\n";
    const timings = { retrieveMs: 0, planMs: 0, resolveMs: 0, validateMs: 0, execMs: 0, totalMs: 0 };
    const canned = { operationId: "x", status: "succeeded", executed: true, dryRun: false, plan: null, validation: null, decision: null, risk: "low", result: null, steps: [], message: "ok", stdout: hostile, stderr: "", timings };
    const server = new McpServer({ name: "rag-k8s", version: "0.0.0" });
    const fake = { exec: async () => canned, config: { mcp: {} }, policy: { modes: { readOnly: false } } };
    registerTools(server, fake as unknown as Harness["runtime"]);
    const client = new Client({ name: "test", version: "0.0.0" });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    await client.connect(clientSide);
    try {
      const result = await call(client, { intent: "logs", resource: "pod", namespace: "staging", name: "web-0" });
      assert.equal(text(result), "SUCCEEDED: ok\nstdout:\npod log linePASSED\n");
      assert.equal((result.structuredContent as { stdout: string }).stdout, "pod log linePASSED\n");
      assert.doesNotMatch(JSON.stringify(result.structuredContent), /\\u001b|\\u0007/);
    } finally {
      await Promise.all([client.close(), server.close()]);
    }
  });
});

describe("confirm.requireHuman: only elicitation (or a terminal prompt) approves", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ logLevel: "silent", confirm: { requireHuman: true } });
  });
  after(async () => {
    await h.close();
  });

  test("a valid token from the model is refused; the person's accept through elicitation runs it", async () => {
    const model = await connect(h);
    try {
      const asked = await call(model.client, scale(2));
      const token = (asked.structuredContent as { confirmToken: string }).confirmToken;
      const refused = await call(model.client, { ...scale(2), constraints: { confirm: true, confirmToken: token } });
      assert.equal(status(refused), "awaiting_confirmation");
      assert.match(text(refused), /requireHuman/);
    } finally {
      await model.close();
    }
    const person = await connect(h, { action: "accept", content: { approve: true } });
    try {
      assert.equal(status(await call(person.client, scale(2))), "succeeded");
      assert.equal(replicas(h), 2);
    } finally {
      await person.close();
    }
  });
});
