import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RagK8s } from "../../core/runtime.js";
import { HttpConfigError, isLoopback } from "../http/server.js";
import { registerTools } from "./tools.js";

const SERVER_INFO = { name: "rag-k8s", version: "0.1.0" };

function createMcpServer(runtime: RagK8s): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      "Operate Kubernetes through rag-k8s. Prefer k8s_exec with intent/resource/namespace/name; use k8s_search to discover operations. " +
      "When a result says NEEDS USER APPROVAL, ask the user before calling again with constraints.confirm=true.",
  });
  registerTools(server, runtime);
  return server;
}

/** Serves MCP over stdin/stdout until the client disconnects. */
export async function serveStdio(runtime: RagK8s): Promise<void> {
  const server = createMcpServer(runtime);
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  await server.connect(transport);
  await closed;
}

export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
  readonly bodyLimitBytes: number;
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw Object.assign(new Error(`body larger than ${limit} bytes`), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw Object.assign(new Error("body is not valid JSON"), { status: 400 });
  }
}

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/** Streamable-HTTP MCP in stateless mode: one server and transport per POST /mcp. */
export async function serveStreamableHttp(runtime: RagK8s, options: McpHttpOptions): Promise<{ url: string; close(): Promise<void> }> {
  if (!isLoopback(options.host) && !options.token) {
    throw new HttpConfigError(`refusing to serve MCP on ${options.host} without a bearer token (set http.token)`);
  }
  const expected = options.token ? Buffer.from(`Bearer ${options.token}`) : null;
  const http = createServer((req, res) => {
    void (async () => {
      if (req.url !== "/mcp") return deny(res, 404, "not found: POST /mcp");
      const given = Buffer.from(req.headers.authorization ?? "");
      if (expected && (given.length !== expected.length || !timingSafeEqual(given, expected))) return deny(res, 401, "unauthorized");
      if (req.method !== "POST") return deny(res, 405, "stateless server: only POST /mcp");
      const body = await readJson(req, options.bodyLimitBytes);
      const server = createMcpServer(runtime);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: Error & { status?: number }) => {
      if (!res.headersSent) deny(res, error.status ?? 500, error.message);
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port, options.host, resolve));
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host}:${port}/mcp`,
    close: () => new Promise<void>((resolve) => http.close(() => resolve())),
  };
}
