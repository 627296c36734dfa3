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

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/**
 * Open requests one client address may have by default. On loopback every local client (each agent, each
 * tool) shares the one address, so a per-address cap there would cap them all together below
 * http.concurrency and answer the rest 429: only http.concurrency bounds them. Off loopback (token
 * required) addresses are distinct clients, and 16 keeps a few slow ones from holding every connection.
 */
export function defaultPerClientConcurrency(http: { readonly host: string; readonly concurrency: number }): number {
  return isLoopback(http.host) ? http.concurrency : 16;
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

/**
 * The host a request names, or undefined when that is ambiguous: no Host, several (Node keeps only the first,
 * so another could name a different host than the one checked), or an absolute-form target such as
 * `POST http://other.example/k8s-exec` (whose authority, not Host, names the host: RFC 9112 §3.2).
 */
export function requestHost(req: { readonly url?: string | undefined; readonly rawHeaders: readonly string[] }): string | undefined {
  if (!req.url?.startsWith("/")) return undefined;
  let host: string | undefined;
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]?.toLowerCase() !== "host") continue;
    if (host !== undefined) return undefined;
    host = req.rawHeaders[i + 1] as string;
  }
  return host;
}

/** Names a loopback service is reached by; a DNS-rebinding page reaches it under its own name instead. */
const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];
const WITH_PORT = /^(?:\[[^\]]+\]|[^:[\]]+):\d{1,5}$/;

/**
 * Which Host (and Origin) values a server answers: the loopback names and `allowed` (http.allowedHosts), each
 * with the bound port unless it names one. A browser page on attacker.example that rebinds its name to
 * 127.0.0.1 still sends `Host: attacker.example`, so checking Host closes DNS rebinding; Origin closes
 * cross-site requests from pages of any other site.
 */
export class HostAllowList {
  /** Exact Host header values accepted (lower case), e.g. "localhost:8080". */
  readonly hosts: readonly string[];
  /** Exact Origin header values accepted (for the MCP SDK's own check). */
  readonly origins: readonly string[];

  constructor(allowed: readonly string[], port: number) {
    const hosts = new Set<string>();
    for (const name of [...LOOPBACK_NAMES, ...allowed].map((n) => n.toLowerCase())) {
      hosts.add(WITH_PORT.test(name) ? name : `${name}:${port}`);
      // Clients leave the default port out of Host.
      if (!WITH_PORT.test(name) && port === 80) hosts.add(name);
    }
    this.hosts = [...hosts];
    this.origins = this.hosts.flatMap((host) => [`http://${host}`, `https://${host}`]);
  }

  /** Why a request with these headers is refused (answer 403 with it), or null when it is allowed. */
  refusal(host: string | undefined, origin: string | undefined): string | null {
    if (!host || !this.hosts.includes(host.toLowerCase())) {
      return `Host ${JSON.stringify(host ?? "")} is not a name this server answers to (allowed: ${this.hosts.join(", ")}); a request under another name can come from a DNS-rebinding web page. If the name is yours, add it to http.allowedHosts`;
    }
    // Clients other than browsers send no Origin; a browser always does on a cross-site POST.
    if (origin === undefined) return null;
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      url = null;
    }
    const defaultPort = url?.protocol === "https:" ? "443" : "80";
    const originHost = url && /^https?:$/.test(url.protocol) ? `${url.hostname}:${url.port || defaultPort}` : null;
    if (originHost === null || !this.hosts.includes(originHost.toLowerCase())) {
      return `Origin ${JSON.stringify(origin)} is not allowed: web pages of other sites may not call rag-k8s (allowed hosts: ${this.hosts.join(", ")}). If the site is yours, add its host to http.allowedHosts`;
    }
    return null;
  }
}

/**
 * Counts the requests each client address has open, body upload included, so a few slow clients cannot hold
 * every connection the server is willing to serve.
 */
export class PerClientLimit {
  private readonly open = new Map<string, number>();
  constructor(readonly limit: number) {}

  /** Takes one of `client`'s places; false when it already has `limit` requests open. Release each taken place once. */
  tryAcquire(client: string): boolean {
    const count = this.open.get(client) ?? 0;
    if (count >= this.limit) return false;
    this.open.set(client, count + 1);
    return true;
  }

  release(client: string): void {
    const count = this.open.get(client) ?? 0;
    if (count <= 1) this.open.delete(client);
    else this.open.set(client, count - 1);
  }
}
