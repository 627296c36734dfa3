import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { RagK8s } from "../../app/runtime.js";
import { createIdempotencyStore } from "../../approval/index.js";
import { InFlight } from "../../core/in-flight.js";
import type { ExecResponse } from "../../core/response.js";
import { Draining, HostAllowList, PerClientLimit, assertSafeBind, bearerMatches, boundPort, requestHost, urlOf } from "../shared/http.js";
import { connectGuarded, createMcpServer } from "./connect.js";

export { serveStdio } from "./stdio.js";

export interface McpHttpOptions {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
  readonly bodyLimitBytes: number;
  /** Host header values (and Origin hosts) accepted besides the loopback names with the bound port. */
  readonly allowedHosts?: readonly string[];
  /** Time to receive a request's body (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** Requests one client address may have open at once (default 16). */
  readonly perClientConcurrency?: number;
}

/** Reads the body within `timeoutMs`: a slower upload is answered 408 and its connection closed. */
async function readJson(req: IncomingMessage, res: ServerResponse, limit: number, timeoutMs: number): Promise<unknown> {
  const timer = setTimeout(() => {
    deny(res, 408, `the request body did not arrive within ${timeoutMs} ms`);
    req.destroy();
  }, timeoutMs);
  try {
    return await readBody(req, limit);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
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
  const idempotency = createIdempotencyStore<ExecResponse>();
  const perClient = new PerClientLimit(options.perClientConcurrency ?? 16);
  let allowList: HostAllowList | undefined;
  const http = createServer((req, res) => {
    draining.beforeSend((name, value) => res.setHeader(name, value));
    res.on("finish", () => draining.afterSend());
    const client = req.socket.remoteAddress ?? "unknown";
    void (async () => {
      const path = new URL(req.url ?? "/", "http://mcp").pathname;
      // Liveness for load balancers and `curl`: no token needed, and nothing about the target is disclosed.
      if (path === "/health") {
        if (req.method !== "GET" && req.method !== "HEAD") return deny(res, 405, `${req.method ?? "?"} is not allowed on /health; use GET`, { allow: "GET, HEAD" });
        res.writeHead(200, { "content-type": "application/json" }).end(req.method === "HEAD" ? undefined : JSON.stringify({ status: "ready", transport: "streamable-http", path: "/mcp" }));
        return;
      }
      if (path !== "/mcp") return deny(res, 404, "not found: POST /mcp (GET /health for liveness)");
      allowList ??= new HostAllowList(options.allowedHosts ?? [], boundPort(http, options.port));
      const refusal = allowList.refusal(requestHost(req), req.headers.origin);
      if (refusal) return deny(res, 403, refusal);
      if (!bearerMatches(req.headers.authorization, options.token)) return deny(res, 401, "unauthorized");
      if (req.method !== "POST") return deny(res, 405, "stateless server: only POST /mcp", { allow: "POST" });
      if (!perClient.tryAcquire(client)) return deny(res, 429, `this client already has ${perClient.limit} requests open; retry shortly`);
      res.once("close", () => perClient.release(client));
      const body = await readJson(req, res, options.bodyLimitBytes, options.bodyTimeoutMs ?? 10_000);
      const server = createMcpServer(runtime, { inFlight, idempotency, client });
      // The SDK's own DNS-rebinding check, with the same lists (a second lock on the same door).
      const transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
        enableDnsRebindingProtection: true,
        allowedHosts: [...allowList.hosts],
        allowedOrigins: [...allowList.origins],
      });
      res.on("close", () => {
        void transport.close();
        void server.close();
      });
      await connectGuarded(server, transport);
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
