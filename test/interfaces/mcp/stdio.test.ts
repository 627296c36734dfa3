import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { startCluster } from "../../core/harness.js";
import type { ClusterFixture } from "../../core/harness.js";

const CLI = resolve(fileURLToPath(new URL("../../../src/interfaces/cli/main.ts", import.meta.url)));
const scale = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } } as const;

function text(result: CallToolResult): string {
  return result.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
}

describe("MCP over stdio: the real CLI (`rag-k8s mcp`) driven by the SDK client, against the sandbox", () => {
  let cluster: ClusterFixture;
  let auditPath: string;
  let client: Client;
  let transport: StdioClientTransport;
  let stderr = "";

  const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as CallToolResult;

  before(async () => {
    cluster = await startCluster();
    const { dir, kubeconfig } = cluster;
    auditPath = cluster.auditPath("mcp");
    transport = new StdioClientTransport({
      command: process.execPath,
      // cwd is the temp folder so no rag-k8s.config.yaml or .env of the checkout leaks in; tsx by absolute URL.
      args: ["--import", import.meta.resolve("tsx"), CLI, "--kubeconfig", kubeconfig, "mcp"],
      cwd: dir,
      env: { ...cluster.env, RAGK8S_AUDIT_PATH: auditPath },
      stderr: "pipe",
    });
    transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: "rag-k8s-test", version: "0.0.0" });
    await client.connect(transport);
  });
  after(async () => {
    await client.close();
    await cluster.close();
  });

  test("lists the six tools with input schemas and truthful annotations", async () => {
    const { tools } = await client.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual([...byName.keys()].sort(), ["k8s_exec", "k8s_health", "k8s_plan", "k8s_read", "k8s_search", "k8s_validate"]);
    const exec = byName.get("k8s_exec");
    assert.equal(exec?.annotations?.destructiveHint, true);
    assert.equal(exec?.annotations?.readOnlyHint, false);
    for (const name of ["k8s_read", "k8s_plan", "k8s_search", "k8s_validate"]) {
      assert.equal(byName.get(name)?.annotations?.readOnlyHint, true, name);
      assert.equal(byName.get(name)?.annotations?.destructiveHint, false, name);
    }
    const props = (name: string) => Object.keys((byName.get(name)?.inputSchema.properties ?? {}) as object).sort();
    const requestFields = ["argv", "command", "constraints", "context", "goal", "intent", "name", "namespace", "params", "resource", "selector"];
    assert.deepEqual(props("k8s_read"), requestFields);
    assert.deepEqual(props("k8s_plan"), requestFields);
    assert.deepEqual(props("k8s_exec"), [...requestFields, "idempotencyKey"].sort());
    for (const name of ["k8s_read", "k8s_exec", "k8s_plan"]) {
      const intent = (byName.get(name)?.inputSchema.properties as Record<string, { enum?: string[] }>)["intent"];
      assert.ok(intent?.enum?.includes("restart"), "intent is an enum the agent can read");
    }
    assert.deepEqual(props("k8s_validate"), ["command", "namespace"]);
    assert.deepEqual(byName.get("k8s_validate")?.inputSchema.required, ["command"]);
    // One retrieve schema for every face: query, intent or resource (the HTTP route's shape, no longer a narrower copy).
    assert.deepEqual(props("k8s_search"), ["intent", "k", "query", "resource", "tokenBudget"]);
    assert.equal((byName.get("k8s_search")?.inputSchema.properties as Record<string, { maximum?: number }>)["k"]?.maximum, 50);
  });

  test("k8s_validate denies deleting a prod pod and suggests a safer command", async () => {
    const result = await call("k8s_validate", { command: "kubectl delete pod x -n prod" });
    assert.notEqual(result.isError, true);
    const verdict = result.structuredContent as { decision: string; suggestions: string[]; reasons: unknown[] };
    assert.equal(verdict.decision, "deny");
    assert.ok(verdict.reasons.length > 0);
    assert.ok(verdict.suggestions.length > 0);
    assert.match(text(result), /^DENY/);
    assert.match(text(result), /try: /);
  });

  test("k8s_search returns ranked cards and their rendered context", async () => {
    const result = await call("k8s_search", { query: "pod keeps crashing, show logs", k: 3 });
    const cards = (result.structuredContent as { hits: { id: string; intent: string }[] }).hits;
    assert.ok(cards.length > 0 && cards.length <= 3);
    assert.ok(cards.some((c) => c.intent === "logs" || c.intent === "diagnose"), JSON.stringify(cards));
    assert.match(text(result), /kubectl/);
  });

  test("k8s_plan returns the command and decision and runs nothing", async () => {
    cluster.sandbox.clearRequests();
    const result = await call("k8s_plan", { intent: "restart", resource: "deployment", namespace: "staging", name: "web" });
    const response = result.structuredContent as { status: string; executed: boolean; decision: string; plan: { command: string } };
    assert.equal(response.status, "planned");
    assert.equal(response.executed, false);
    assert.equal(response.decision, "allow");
    assert.equal(response.plan.command, "kubectl rollout restart deployment/web -n staging");
    assert.equal(cluster.sandbox.requests.length, 0);
  });

  test("k8s_exec asks for approval before a scale; confirm alone, a forged or another plan's token are refused; its own token runs it once", async () => {
    cluster.sandbox.clearRequests();
    const waiting = await call("k8s_exec", scale);
    assert.match(text(waiting), /NEEDS USER APPROVAL/);
    assert.match(text(waiting), /Nothing was run/);
    const pending = waiting.structuredContent as { status: string; executed: boolean; operationId: string };
    assert.equal(pending.status, "awaiting_confirmation");
    assert.equal(pending.executed, false);
    assert.equal(cluster.sandbox.requests.length, 0, "nothing reached the cluster");

    const token = (waiting.structuredContent as { confirmToken: string }).confirmToken;
    assert.match(text(waiting), new RegExp(`confirmToken = "${token.replaceAll(".", "\\.")}"`));
    const other = ((await call("k8s_exec", { ...scale, params: { replicas: 4 } })).structuredContent as { confirmToken: string }).confirmToken;
    const forged = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    for (const constraints of [{ confirm: true }, { confirm: true, confirmToken: forged }, { confirm: true, confirmToken: other }]) {
      const refused = await call("k8s_exec", { ...scale, constraints });
      assert.equal((refused.structuredContent as { status: string }).status, "awaiting_confirmation", JSON.stringify(constraints));
      assert.match(text(refused), /NEEDS USER APPROVAL/);
    }
    assert.equal(cluster.sandbox.requests.filter((r) => r.method !== "GET").length, 0, "nothing was changed");

    const done = await call("k8s_exec", { ...scale, constraints: { confirm: true, confirmToken: token } });
    const response = done.structuredContent as { status: string; operationId: string };
    assert.equal(response.status, "succeeded", `${text(done)}\n${stderr}`);
    assert.match(text(done), /^SUCCEEDED/);
    const deployment = cluster.sandbox.get("deployments", "staging", "web") as unknown as { spec: { replicas: number } };
    assert.equal(deployment.spec.replicas, 3);
    const audit = readFileSync(auditPath, "utf8");
    assert.ok(audit.includes(`"operationId":"${response.operationId}"`), "the confirmed scale is audited");
    const replayed = await call("k8s_exec", { ...scale, constraints: { confirm: true, confirmToken: token } });
    assert.equal((replayed.structuredContent as { status: string }).status, "awaiting_confirmation", "a used token does not approve again");
    assert.match(text(replayed), /already used/);
  });

  test("a __proto__, constructor or prototype key in the arguments is an input error, not dropped", async () => {
    cluster.sandbox.clearRequests();
    for (const key of ["__proto__", "constructor", "prototype"]) {
      const args = JSON.parse(`{"intent":"restart","resource":"deployment","namespace":"staging","name":"web","params":{"${key}":{"replicas":0}}}`) as Record<string, unknown>;
      const result = await call("k8s_exec", args);
      assert.equal(result.isError, true, key);
      assert.match(text(result), new RegExp(`arguments\\.params\\.${key}: "${key}" is not allowed`), key);
    }
    assert.equal(cluster.sandbox.requests.length, 0, "nothing reached the cluster");
  });

  test("invalid input is an error result naming the field", async () => {
    const result = await call("k8s_exec", { ...scale, namespace: "Not_A_Namespace" });
    assert.equal(result.isError, true);
    assert.match(text(result), /namespace/);
    const unknown = await call("k8s_validate", { command: "" });
    assert.equal(unknown.isError, true);
    assert.match(text(unknown), /command/);
  });
});
