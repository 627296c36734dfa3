import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import type { IdempotencyStore } from "../../approval/index.js";
import { prototypeKeyIssues } from "../../core/errors.js";
import type { InFlight } from "../../core/in-flight.js";
import type { ExecResponse } from "../../core/response.js";
import { installToolListing } from "./listing.js";
import type { ListedTool } from "./listing.js";
import { offeredTools, registerTools } from "./tools.js";
import type { ToolHost } from "./tools.js";

const SERVER_INFO = { name: "rag-k8s", version: "0.1.0" };

export interface McpServerOptions {
  readonly inFlight: InFlight;
  readonly idempotency: IdempotencyStore<ExecResponse>;
  /** Who is calling, for idempotency keys (the remote address; "stdio"). */
  readonly client: string;
  /** Every tool as the SDK lists it, computed at build time; answers tools/list without converting schemas. */
  readonly listing?: readonly ListedTool[] | undefined;
}

export function createMcpServer(host: ToolHost, options: McpServerOptions): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      "Operate Kubernetes through rag-k8s. For reads, call k8s_read with the kubectl command you would run ({\"command\": \"kubectl get pods -n prod\"}); " +
      "for changes, k8s_exec (a command, or intent/resource/namespace/name); use k8s_search to discover operations. " +
      "When a result says NEEDS USER APPROVAL, ask the user; only if they approve, call again with constraints.confirm=true and the confirmToken of that result.",
  });
  registerTools(server, host, { track: (call) => options.inFlight.track(call), idempotency: options.idempotency, client: options.client });
  if (options.listing) installToolListing(server, options.listing, offeredTools(host));
  return server;
}

/**
 * Refuses a tool call whose arguments hold a __proto__, constructor or prototype key before the SDK's schema
 * parse would drop it silently: the call is answered as an input error and never reaches a tool. `onRequest`
 * sees each request's method once the SDK has taken it.
 */
export async function connectGuarded(server: McpServer, transport: Transport, onRequest?: (method: string) => void): Promise<void> {
  await server.connect(transport);
  const deliver = transport.onmessage;
  if (!deliver) return;
  transport.onmessage = (message: JSONRPCMessage, extra) => {
    const call = message as { id?: string | number; method?: string; params?: { arguments?: unknown } };
    const issues = call.method === "tools/call" && call.id !== undefined ? prototypeKeyIssues(call.params?.arguments, ["arguments"]) : [];
    if (issues.length === 0) {
      deliver.call(transport, message, extra);
      if (call.method !== undefined) onRequest?.(call.method);
      return;
    }
    const text = `ERROR (input): invalid request: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`;
    // Text only, like every error result: clients check structuredContent against the tool's outputSchema.
    void transport.send({ jsonrpc: "2.0", id: call.id as string | number, result: { content: [{ type: "text", text }], isError: true } });
  };
}
