import { request as httpRequest, type Agent as HttpAgent, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest, type Agent as HttpsAgent, type RequestOptions } from "node:https";
import type { LoadedKubeconfig } from "./kubeconfig-module.js";

/** One cluster as a kubeconfig context names it: where to connect, how to authenticate, one connection pool. */
export interface Target {
  readonly server: URL;
  /** Sends one request; resolves with whatever status the server answered. */
  request(req: ApiRequest): Promise<ApiResponse>;
  /**
   * A watch: calls `onLine` with each line of a 200 response as it arrives until it returns true (then the
   * request is closed) or the server ends the stream. Resolves with the status; a non-200 body is returned whole.
   */
  stream(req: ApiRequest, onLine: (line: string) => boolean): Promise<ApiResponse>;
  close(): void;
}

export interface ApiRequest {
  method: "GET" | "PATCH" | "POST" | "PUT" | "DELETE";
  /** Path and query, e.g. `/api/v1/namespaces/shop/pods?limit=500`. */
  path: string;
  accept?: string;
  contentType?: string;
  body?: string;
  signal: AbortSignal;
}

export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A response larger than the executor holds in memory (a whole log without --tail). The command is a read, so
 * kubectl runs it instead and streams the output through its caps.
 */
export class ResponseTooLargeError extends Error {
  override name = "ResponseTooLargeError";
  constructor(readonly limit: number) {
    super(`the server's response exceeds ${limit} bytes`);
  }
}

/** The kubeconfig could not give a usable target (no such context, no cluster, unsupported server URL). */
export class KubeconfigError extends Error {
  override name = "KubeconfigError";
}

/** A user whose credentials can change while the process runs (exec plugins, auth providers, token files). */
function hasDynamicCredentials(user: ReturnType<LoadedKubeconfig["getCurrentUser"]>): boolean {
  return user !== null && (user.exec !== undefined || user.authProvider !== undefined);
}

/**
 * Builds a target from an already-loaded KubeConfig whose current context is the one to use. TLS material
 * and the proxy come from client-node's own option code (`applyToHTTPSOptions`), so client certificates,
 * CA files, `insecure-skip-tls-verify`, `tls-server-name` and `proxy-url` behave as client-node defines them;
 * the agent is rebuilt with keep-alive so every request to this target reuses its connections.
 */
export async function createTarget(kc: LoadedKubeconfig, maxSockets: number, maxResponseBytes: number): Promise<Target> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`kubeconfig context "${kc.getCurrentContext()}" names no cluster`);
  const server = new URL(cluster.server);
  if (server.protocol !== "https:" && server.protocol !== "http:") throw new KubeconfigError(`cluster server ${cluster.server} is not an http(s) URL`);
  const user = kc.getCurrentUser();
  const base: RequestOptions = {};
  await kc.applyToHTTPSOptions(base);
  const agentOptions = { ...tlsOptions(base), keepAlive: true, maxSockets };
  // client-node picks http, https or a proxy agent (proxy-url) from the cluster entry; its `createAgent` is not
  // in the typings, so it is reached through a narrow cast (client-node is pinned to ~1.4.0), with keep-alive on.
  const factory = (kc as unknown as { createAgent?: AgentFactory }).createAgent?.bind(kc);
  const agent = factory ? factory(cluster, agentOptions) : (base.agent as HttpAgent | HttpsAgent);
  if (factory) (base.agent as HttpAgent | undefined)?.destroy();
  const dynamic = hasDynamicCredentials(user);
  const staticHeaders = headerRecord(base.headers);
  const staticAuth = base.auth;
  const send = server.protocol === "https:" ? httpsRequest : httpRequest;
  const prefix = server.pathname.replace(/\/+$/, "");

  async function credentials(): Promise<{ headers: Record<string, string>; auth: string | undefined }> {
    if (!dynamic) return { headers: staticHeaders, auth: staticAuth ?? undefined };
    // Exec plugins and auth providers cache their tokens and refresh them on expiry inside client-node.
    const fresh: RequestOptions = {};
    await kc.applyToHTTPSOptions(fresh);
    (fresh.agent as HttpAgent | undefined)?.destroy();
    return { headers: headerRecord(fresh.headers), auth: fresh.auth ?? undefined };
  }

  function exchange(req: ApiRequest, onResponse: (res: IncomingMessage, resolve: (r: ApiResponse) => void, reject: (e: Error) => void) => void): Promise<ApiResponse> {
    return credentials().then(
      ({ headers, auth }) =>
        new Promise<ApiResponse>((resolve, reject) => {
          const outgoing: Record<string, string> = { ...headers, Accept: req.accept ?? "application/json", "User-Agent": "rag-k8s" };
          if (req.contentType) outgoing["Content-Type"] = req.contentType;
          if (req.body !== undefined) outgoing["Content-Length"] = String(Buffer.byteLength(req.body));
          const r = send(
            {
              protocol: server.protocol,
              hostname: server.hostname.replace(/^\[|\]$/g, ""),
              port: server.port,
              path: prefix + req.path,
              method: req.method,
              headers: outgoing,
              agent,
              signal: req.signal,
              ...(auth ? { auth } : {}),
            },
            (res) => onResponse(res, resolve, reject),
          );
          r.on("error", reject);
          r.end(req.body);
        }),
    );
  }

  const collect = (res: IncomingMessage, resolve: (r: ApiResponse) => void, reject: (e: Error) => void): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (c: Buffer) => {
      size += c.length;
      if (size > maxResponseBytes) {
        res.destroy();
        reject(new ResponseTooLargeError(maxResponseBytes));
        return;
      }
      chunks.push(c);
    });
    res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    res.on("error", reject);
  };

  return {
    server,
    request: (req) => exchange(req, collect),
    stream: (req, onLine) =>
      exchange(req, (res, resolve, reject) => {
        if (res.statusCode !== 200) return collect(res, resolve, reject);
        const done = (): void => resolve({ status: 200, headers: res.headers, body: "" });
        let pending = "";
        let stopped = false;
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (stopped) return;
          pending += chunk;
          let nl = pending.indexOf("\n");
          while (nl >= 0 && !stopped) {
            const line = pending.slice(0, nl);
            pending = pending.slice(nl + 1);
            if (line.trim() !== "" && onLine(line)) {
              stopped = true;
              res.destroy();
              done();
            }
            nl = pending.indexOf("\n");
          }
        });
        res.on("end", done);
        res.on("error", (e) => (stopped ? undefined : reject(e)));
      }),
    close() {
      agent.destroy();
    },
  };
}

type AgentFactory = (cluster: object, options: RequestOptions & { keepAlive: boolean; maxSockets: number }) => HttpAgent | HttpsAgent;

function tlsOptions(o: RequestOptions): RequestOptions {
  const out: RequestOptions = {};
  if (o.ca !== undefined) out.ca = o.ca;
  if (o.cert !== undefined) out.cert = o.cert;
  if (o.key !== undefined) out.key = o.key;
  if (o.pfx !== undefined) out.pfx = o.pfx;
  if (o.passphrase !== undefined) out.passphrase = o.passphrase;
  if (o.rejectUnauthorized !== undefined) out.rejectUnauthorized = o.rejectUnauthorized;
  if (o.servername !== undefined) out.servername = o.servername;
  return out;
}

function headerRecord(headers: RequestOptions["headers"]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || Array.isArray(headers)) return out;
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(", ") : String(v);
  return out;
}
