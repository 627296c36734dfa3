import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RagK8s } from "../../app/runtime.js";
import { InFlight } from "../../core/in-flight.js";
import { Draining, assertSafeBind, bearerMatches, boundPort, urlOf } from "../shared/http.js";
import { registerTools } from "./tools.js";

const SERVER_INFO = { name: "rag-k8s", version: "0.1.0" };

function createMcpServer(runtime: RagK8s, inFlight: InFlight): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions:
      "Operate Kubernetes through rag-k8s. Prefer k8s_exec with intent/resource/namespace/name; use k8s_search to discover operations. " +
      "When a result says NEEDS USER APPROVAL, ask the user before calling again with constraints.confirm=true.",
  });
  registerTools(server, runtime, (call) => inFlight.track(call));
  return server;
}

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Serves MCP over stdin/stdout until the client goes away or the process gets SIGINT/SIGTERM, then lets
 * running tool calls finish so the caller can close the runtime (drain, flush the audit log, stop a sandbox).
 */
export async function serveStdio(runtime: RagK8s): Promise<void> {
  const inFlight = new InFlight();
  const server = createMcpServer(runtime, inFlight);
  const transport = new StdioServerTransport();
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // The SDK's stdio transport never notices the client leaving; the end of stdin is that signal.
  transport.onclose = stop;
  process.stdin.once("end", stop);
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  try {
    await server.connect(transport);
    await stopped;
    await inFlight.settled();
  } finally {
    process.stdin.off("end", stop);
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
    await server.close();
  }
}

export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
  readonly bodyLimitBytes: number;
}

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  if (Number(req.headers["content-length"] ?? 0) > limit) throw new HttpStatusError(413, `body larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpStatusError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new HttpStatusError(400, "body is not valid JSON");
  }
}

class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function deny(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  // The request body may be unread (401, 413): close the connection rather than parse what follows.
  res
    .writeHead(status, { "content-type": "application/json", connection: "close", ...headers })
    .end(JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }));
}

/** Streamable-HTTP MCP in stateless mode: one server and transport per POST /mcp. */
export async function serveStreamableHttp(runtime: RagK8s, options: McpHttpOptions): Promise<{ url: string; close(): Promise<void> }> {
  assertSafeBind(options.host, options.token);
  const inFlight = new InFlight();
  const http = createServer((req, res) => {
    draining.beforeSend((name, value) => res.setHeader(name, value));
    res.on("finish", () => draining.afterSend());
    void (async () => {
      const path = new URL(req.url ?? "/", "http://mcp").pathname;
      // Liveness for load balancers and `curl`: no token needed, and nothing about the target is disclosed.
      if (path === "/health") {
        if (req.method !== "GET" && req.method !== "HEAD") return deny(res, 405, `${req.method ?? "?"} is not allowed on /health; use GET`, { allow: "GET, HEAD" });
        res.writeHead(200, { "content-type": "application/json" }).end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ready", transport: "streamable-http", path: "/mcp" }));
        return;
      }
      if (path !== "/mcp") return deny(res, 404, "not found: POST /mcp (GET /health for liveness)");
      if (!bearerMatches(req.headers.authorization, options.token)) return deny(res, 401, "unauthorized");
      if (req.method !== "POST") return deny(res, 405, "stateless server: only POST /mcp", { allow: "POST" });
      const body = await readJson(req, options.bodyLimitBytes);
      const server = createMcpServer(runtime, inFlight);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
    })().catch((error: unknown) => {
      if (!res.headersSent) deny(res, error instanceof HttpStatusError ? error.status : 500, error instanceof Error ? error.message : String(error));
    });
  });
  const draining = new Draining(http);
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port, options.host, () => {
      http.off("error", reject);
      resolve();
    });
  });
  const port = boundPort(http, options.port);
  let closed: Promise<void> | null = null;
  return {
    url: urlOf(options.host, port, "/mcp"),
    /** Stops accepting connections and resolves once running tool calls have finished and answered. */
    close() {
      closed ??= new Promise<void>((resolve) => {
        http.close(() => resolve());
        draining.start();
      }).then(() => inFlight.settled());
      return closed;
    },
  };
}
