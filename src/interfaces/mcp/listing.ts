import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { LATEST_PROTOCOL_VERSION, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import type { JSONRPCMessage, Tool } from "@modelcontextprotocol/sdk/types.js";
import { DeferredRuntime, registerTools } from "./tools.js";

/** One tool exactly as tools/list answers it (name, schemas as JSON Schema, annotations). */
export type ListedTool = Tool;

/** Written next to the CLI bundle by `npm run build` (scripts/postbuild.mjs). */
export const TOOL_LISTING_FILE = "mcp-tools.json";


/** JSON with object keys sorted, so a schema's digest does not depend on the order a serializer wrote it in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
    .join(",")}}`;
}

/**
 * Gives each output schema a content-addressed `$id`. k8s_exec and k8s_plan return the same response
 * schema; an SDK client compiles a validator per outputSchema when it lists tools, and with an `$id` it compiles
 * that one once (≈ 30 ms of a first tools/list in the SDK's client here). The id is the schema's own digest, so
 * a client talking to two rag-k8s versions never reuses a validator for a schema that differs.
 */
export function identifyOutputSchemas(tools: readonly ListedTool[]): ListedTool[] {
  return tools.map((tool) => {
    if (!tool.outputSchema) return tool;
    const { $id: _previous, ...schema } = tool.outputSchema as Record<string, unknown>;
    const id = `urn:rag-k8s:schema:${createHash("sha256").update(canonicalJson(schema)).digest("hex").slice(0, 32)}`;
    return { ...tool, outputSchema: { ...tool.outputSchema, $id: id } };
  });
}

/**
 * Every tool as the SDK itself lists it (its zod → JSON Schema conversion, the raw tools/list answer), with
 * identified output schemas. Building this is most of a first tools/list's cost, so `npm run build` computes it
 * once and ships it.
 */
export async function computeToolListing(): Promise<ListedTool[]> {
  const server = new McpServer({ name: "rag-k8s", version: "0" });
  // Every tool offered (no mcp.tools restriction, not read-only); listing them runs none.
  registerTools(server, new DeferredRuntime({ mcp: {} }, { modes: { readOnly: false } }, () => Promise.reject(new Error("the build-time listing runs no tool"))));
  const [ours, theirs] = InMemoryTransport.createLinkedPair();
  const answers = new Map<string | number, JSONRPCMessage>();
  theirs.onmessage = (message) => {
    const id = (message as { id?: string | number }).id;
    if (id !== undefined) answers.set(id, message);
  };
  await server.connect(ours);
  await theirs.start();
  try {
    await theirs.send({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "build", version: "0" } } });
    await theirs.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await theirs.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    for (let i = 0; i < 100 && !answers.has(2); i++) await new Promise((resolve) => setImmediate(resolve));
    const answer = answers.get(2) as { result?: { tools?: ListedTool[] } } | undefined;
    if (!answer?.result?.tools) throw new Error(`tools/list gave no tools: ${JSON.stringify(answer)}`);
    return identifyOutputSchemas(answer.result.tools);
  } finally {
    await server.close();
  }
}

/**
 * Answers tools/list from a listing computed at build time, restricted to the tools this server offers (the
 * same filter that decided which tools were registered), instead of converting every schema on each start.
 */
export function installToolListing(server: McpServer, listing: readonly ListedTool[], offers: (tool: string) => boolean): void {
  const tools = listing.filter((tool) => offers(tool.name));
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
}

/**
 * The listing shipped beside `from` (a module URL), or undefined when there is none (a source checkout, a
 * library import): the SDK then lists the tools itself. A listing that does not look like one is ignored.
 */
export function readToolListing(from: string | URL): ListedTool[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(new URL(TOOL_LISTING_FILE, from), "utf8"));
  } catch {
    return undefined;
  }
  const wellFormed = Array.isArray(parsed) && parsed.every((tool) => typeof tool === "object" && tool !== null && typeof (tool as { name?: unknown }).name === "string" && typeof (tool as { inputSchema?: unknown }).inputSchema === "object");
  return wellFormed ? (parsed as ListedTool[]) : undefined;
}
