/**
 * Characters an agent is sent for one question over MCP, before and after "one copy of each output"
 * (issue 16): before, structuredContent was the whole ExecResponse (stdout at the top and again in every
 * step) beside a text that repeats stdout; now the text holds the output once and structuredContent the
 * rest. Run: node --import tsx bench/mcp-result-size.ts
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { registerTools } from "../src/interfaces/mcp/tools.js";
import { startHarness } from "../test/core/harness.js";

const QUESTIONS: Record<string, Record<string, unknown>> = {
  "list pods in prod": { intent: "list", resource: "pod", namespace: "prod" },
  "describe deployment prod/checkout": { intent: "describe", resource: "deployment", namespace: "prod", name: "checkout" },
  "events in prod": { intent: "events", resource: "event", namespace: "prod" },
  "logs of prod/api-5f7c8d-abcde": { intent: "logs", resource: "pod", namespace: "prod", name: "api-5f7c8d-abcde" },
};

const h = await startHarness();
try {
  const server = new McpServer({ name: "rag-k8s", version: "0" });
  registerTools(server, h.runtime);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "measure", version: "0" });
  await client.connect(clientSide);
  const rows: string[] = ["| question | stdout | text | result JSON before | result JSON after | before/text | after/text |", "|---|---:|---:|---:|---:|---:|---:|"];
  for (const [question, request] of Object.entries(QUESTIONS)) {
    const now = await client.callTool({ name: "k8s_exec", arguments: request });
    const text = (now.content as { text: string }[])[0]?.text ?? "";
    // The result as it was: the same text, and the whole response (stdout at the top and in each step) as structuredContent.
    const full = await h.runtime.exec(request);
    const before = JSON.stringify({ content: now.content, structuredContent: full, isError: false });
    const after = JSON.stringify({ content: now.content, structuredContent: now.structuredContent, isError: now.isError });
    const ratio = (n: number) => (n / text.length).toFixed(2);
    rows.push(`| ${question} (${full.status}) | ${full.stdout.length} | ${text.length} | ${before.length} | ${after.length} | ${ratio(before.length)} | ${ratio(after.length)} |`);
  }
  await client.close();
  process.stdout.write(`${rows.join("\n")}\n`);
} finally {
  await h.close();
}
