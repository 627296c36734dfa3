import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { Server } from "node:http";
import { RagK8sError } from "../../core/errors.js";
import type { ErrorKind } from "../../core/errors.js";

/** Plumbing both HTTP faces (the REST service and MCP over streamable HTTP) share: bind safety, bearer auth, status codes. */

export class HttpConfigError extends RagK8sError {
  override readonly name = "HttpConfigError";
  constructor(message: string) {
    super("environment", message);
  }
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/** Throws HttpConfigError for an address off loopback without a bearer token. */
export function assertSafeBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new HttpConfigError(`refusing to listen on ${host} without a bearer token: set http.token (RAGK8S_HTTP_TOKEN) or bind to 127.0.0.1`);
  }
}

/** Whether an Authorization header carries the bearer token (constant-time; true when no token is configured). */
export function bearerMatches(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The HTTP status each kind of failure answers with. */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = { usage: 400, input: 400, policy: 403, environment: 503, internal: 500 };

export function urlOf(host: string, port: number, path = ""): string {
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}${path}`;
}

/** The port a listening server got (port 0 asks for a free one). */
export function boundPort(server: Server, fallback: number): number {
  const address = server.address();
  return typeof address === "object" && address ? address.port : fallback;
}

/**
 * Graceful shutdown for an HTTP server. Node's server.close() reaps only connections idle at that moment: a
 * keep-alive connection whose request was in flight would then hold shutdown open for the whole keep-alive
 * timeout. Once draining, every response tells its client the connection ends with it, and is reaped as soon
 * as it is out.
 */
export class Draining {
  private draining = false;
  constructor(private readonly server: Server) {}

  /** Stops keeping connections alive and reaps the idle ones (call when closing starts). */
  start(): void {
    this.draining = true;
    this.server.closeIdleConnections();
  }

  /** Before a response is sent: while draining, it ends its connection. */
  beforeSend(setHeader: (name: string, value: string) => unknown): void {
    if (this.draining) setHeader("connection", "close");
  }

  /** After a response is out: while draining, its now idle connection is reaped. */
  afterSend(): void {
    if (this.draining) this.server.closeIdleConnections();
  }
}
