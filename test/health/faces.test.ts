import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { FastifyInstance } from "fastify";
import { RequestValidationError } from "../../src/core/errors.js";
import { HealthReportSchema, renderHealth } from "../../src/health/index.js";
import type { HealthReport } from "../../src/health/index.js";
import { createMetrics } from "../../src/interfaces/http/metrics.js";
import { createHttpServer } from "../../src/interfaces/http/server.js";
import { registerTools } from "../../src/interfaces/mcp/tools.js";
import { countTokens } from "../../src/tokens.js";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

const serious = (r: HealthReport): string[] => r.findings.filter((f) => f.severity !== "info").map((f) => `${f.object.kind} ${f.object.namespace ?? ""}/${f.object.name}`).sort();
const auditLines = (h: Harness): Record<string, unknown>[] =>
  existsSync(h.auditPath) ? readFileSync(h.auditPath, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) : [];

describe("the health scan on every face: library, HTTP, MCP, and a goal", () => {
  let h: Harness;
  let http: FastifyInstance;
  let mcp: Client;
  let host = "";

  before(async () => {
    h = await startHarness();
    http = createHttpServer(h.runtime, { host: "127.0.0.1", bodyLimitBytes: 65_536, concurrency: 8, requestTimeoutMs: 60_000, logLevel: "silent", health: () => ({}) }, createMetrics());
    // Listening gives the server its port, which the Host check (DNS-rebinding protection) compares with.
    host = new URL(await http.listen({ host: "127.0.0.1", port: 0 })).host;
    const server = new McpServer({ name: "rag-k8s", version: "0" });
    registerTools(server, h.runtime);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    mcp = new Client({ name: "test", version: "0" });
    await mcp.connect(clientSide);
  });
  after(async () => {
    await mcp.close();
    await http.close();
    await h.close();
  });

  it("library: runtime.health reads through the gate and writes one audit line listing its reads", async () => {
    const linesBefore = auditLines(h).length;
    const all = await h.runtime.health({ allNamespaces: true }, { operationId: "scan-all" });
    assert.equal(auditLines(h).length, linesBefore + 1, "one line per scan, deciding its fixes included");
    const fixes = all.findings.flatMap((f) => (f.fix ? [`${f.fix.cardId} ${f.fix.decision ?? "?"}`] : []));
    assert.ok(fixes.includes("node-uncordon confirm") || fixes.includes("node-uncordon allow"), fixes.join(", "));
    assert.ok(!all.findings.some((f) => f.object.namespace === "prod" && f.fix), "prod's rollout undo is denied by the policy, so not offered");
    const requestsBefore = h.sandbox.requests.length;
    for (const scope of [{ namespace: "shop --all-namespaces" }, { namespace: "-A" }, {}, { namespace: "shop", allNamespaces: true }, { allNamespaces: true, budgetTokens: 1e9 }]) {
      await assert.rejects(h.runtime.health(scope), RequestValidationError, JSON.stringify(scope));
    }
    assert.equal(h.sandbox.requests.length, requestsBefore, "a refused scope reads nothing");
    const report = await h.runtime.health({ namespace: "shop" }, { operationId: "scan-1" });
    assert.deepEqual(serious(report), ["Pod shop/web-0", "Pod shop/web-7d4b9c-x2x9q"]);
    const line = auditLines(h).filter((l) => l["operationId"] === "scan-1");
    assert.equal(line.length, 1);
    assert.equal(line[0]?.["kind"], "health");
    const reads = line[0]?.["lookups"] as string[];
    assert.ok(reads.length >= 4 && reads.every((r) => r.startsWith("kubectl get ") && r.endsWith("-n shop")), reads.join("\n"));
  });

  it("HTTP: POST /k8s-health answers the report; hostile or contradictory input is a 400 before anything runs", async () => {
    const ok = await http.inject({ method: "POST", headers: { host }, url: "/k8s-health", payload: { allNamespaces: true, budgetTokens: 600 } });
    assert.equal(ok.statusCode, 200, ok.body);
    const report = HealthReportSchema.parse(ok.json());
    assert.ok(report.tokens <= 600 && countTokens(renderHealth(report)) <= 600);
    assert.ok(report.omitted.critical + report.omitted.warning > 0, "a small budget counts what did not fit");
    const before = h.sandbox.requests.length;
    for (const payload of [{}, { namespace: "shop", allNamespaces: true }, { namespace: "shop; rm -rf /" }, { namespace: "-A" }, { allNamespaces: true, budgetTokens: 10 }, { allNamespaces: true, extra: 1 }]) {
      const bad = await http.inject({ method: "POST", headers: { host }, url: "/k8s-health", payload });
      assert.equal(bad.statusCode, 400, JSON.stringify(payload));
    }
    assert.equal(h.sandbox.requests.length, before, "refused input reaches no cluster");
  });

  it("MCP: k8s_health is read-only, declares its output schema, and sends the report text once within the budget", async () => {
    const { tools } = await mcp.listTools();
    const tool = tools.find((t) => t.name === "k8s_health");
    assert.equal(tool?.annotations?.readOnlyHint, true);
    assert.ok(tool?.outputSchema, "outputSchema declared");
    const result = await mcp.callTool({ name: "k8s_health", arguments: { allNamespaces: true } });
    assert.equal(result.isError, false);
    const content = result.content as { type: string; text: string }[];
    assert.equal(content.length, 1);
    const report = HealthReportSchema.parse(result.structuredContent);
    assert.equal(content[0]?.text, renderHealth(report));
    assert.ok(countTokens(content[0]?.text ?? "") <= 2000);
    const refused = await mcp.callTool({ name: "k8s_health", arguments: { namespace: "../etc" } });
    assert.equal(refused.isError, true);
  });

  it("a goal asking what is wrong reaches the scan (exec runs it, plan only says so); a contradicting namespace is an input error", async () => {
    const ran = await h.runtime.exec({ goal: "what's wrong in my cluster?" });
    assert.equal(ran.status, "succeeded", ran.message);
    assert.ok(ran.health, "the report comes with the response");
    assert.equal(ran.stdout, renderHealth(ran.health));
    assert.ok(ran.lookups && ran.lookups.length >= 5, "the audit line lists the scan's reads");
    const scoped = await h.runtime.exec({ goal: "is anything broken in shop" });
    assert.equal(scoped.health?.scope, "namespace shop");
    const planned = await h.runtime.plan({ goal: "cluster health" });
    assert.equal(planned.status, "planned");
    assert.equal(planned.health, undefined);
    await assert.rejects(h.runtime.exec({ goal: "is anything broken in shop", namespace: "prod" }), /namespace/);
    const pod = await h.runtime.plan({ goal: "why is pod web-0 crashing in shop" });
    assert.equal(pod.health, undefined, "a question about one object goes to the goal parser");
  });

  // Claude Code hands its model only structuredContent when a result has one; other clients only the text.
  it("MCP results hold the whole answer in each channel, each output once per channel; HTTP once", async () => {
    const request = { intent: "list", resource: "pod", namespace: "shop" };
    const viaMcp = await mcp.callTool({ name: "k8s_exec", arguments: request });
    const text = (viaMcp.content as { text: string }[])[0]?.text ?? "";
    const structured = viaMcp.structuredContent as Record<string, unknown>;
    const stdout = structured["stdout"];
    assert.ok(typeof stdout === "string" && stdout.includes("web-0"), "structuredContent carries stdout");
    assert.ok(text.includes(stdout), "so does the text");
    const steps = structured["steps"] as Record<string, unknown>[];
    assert.equal(steps[0]?.["stdout"], undefined, "and the steps do not repeat it");
    assert.equal(typeof steps[0]?.["stdoutDigest"], "string");
    const viaHttp = await http.inject({ method: "POST", headers: { host }, url: "/k8s-exec", payload: request });
    const body = viaHttp.json<Record<string, unknown>>();
    assert.ok(typeof body["stdout"] === "string" && text.includes(body["stdout"]));
    assert.equal((body["steps"] as Record<string, unknown>[])[0]?.["stdout"], undefined);
    const search = await mcp.callTool({ name: "k8s_search", arguments: { query: "pod keeps crashing" } });
    const cards = (search.content as { text: string }[])[0]?.text ?? "";
    assert.ok(cards.length > 100, "the cards are the text");
    assert.equal((search.structuredContent as Record<string, unknown>)["context"], cards, "and the structured context");
  });

  it("k8s_read hands the model the output, the target and only what this answer needs", async () => {
    const cases: [string, Record<string, unknown>, (view: Record<string, unknown>, text: string) => void][] = [
      ["a succeeded read", { command: "kubectl get pods -n shop" }, (view, text) => {
        assert.deepEqual(Object.keys(view).sort(), ["output", "status", "target"]);
        assert.match(String(view["output"]), /web-0/);
        assert.ok(text.startsWith(String(view["output"])), "the text is the output, then the target");
      }],
      ["a failed read", { command: "kubectl get pod nope -n shop" }, (view, text) => {
        assert.equal(view["status"], "failed");
        assert.equal(view["exitCode"], 1);
        assert.match(String(view["stderr"]), /not found/);
        assert.match(text, /exit code: 1/);
      }],
      ["a write refused", { command: "kubectl delete pod web-0 -n shop" }, (view, text) => {
        assert.equal(view["status"], "denied");
        assert.ok(Array.isArray(view["reasons"]) && (view["reasons"] as unknown[]).length > 0);
        assert.match(text, /DENIED/);
      }],
      ["a goal planned by rag-k8s", { goal: "list pods in shop" }, (view) => {
        assert.deepEqual(view["commands"], ["kubectl get pods -n shop -o wide"]);
      }],
    ];
    for (const [label, request, check] of cases) {
      const result = await mcp.callTool({ name: "k8s_read", arguments: request });
      const view = result.structuredContent as Record<string, unknown>;
      assert.ok(typeof view["target"] === "string" && view["target"] !== "", label);
      for (const absent of ["operationId", "validation", "steps", "timings", "plan"]) assert.equal(view[absent], undefined, `${label}: ${absent}`);
      check(view, (result.content as { text: string }[])[0]?.text ?? "");
    }
  });
});
