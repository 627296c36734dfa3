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
