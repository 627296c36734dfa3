import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { Api } from "./api.js";
import type { Cluster } from "./cluster.js";
import {
  AGGREGATED_V2,
  AGGREGATED_V2BETA1,
  aggregatedDiscovery,
  aggregatedVersion,
  apiGroupDoc,
  apiGroupList,
  apiResourceList,
  apiVersions,
  openApiDocument,
  openApiIndex,
  versionInfo,
} from "./discovery.js";
import { boolParam, intParam } from "./params.js";
import { apiServerMetrics } from "./apimetrics.js";
import { NODES } from "./controllers/util.js";
import { nodeProxy } from "./nodeproxy.js";
import { patchTypeOf } from "./patch.js";
import { v2Document } from "./schemas.js";
import { negotiate } from "./negotiate.js";
import type { ResponseEncoding } from "./negotiate.js";
import { PROTOBUF_MEDIA_TYPE, decodeProtobufBody, encodeProtobufBody, encodeWatchFrame, protobufEncodable } from "./protobuf.js";
import { apiVersionOf } from "./resources.js";
import { route, verbOf } from "./router.js";
import type { ResourcePath, Route } from "./router.js";
import { fieldMatcher, labelMatcher } from "./selectors.js";
import { ApiError, badRequest, methodNotAllowed, notAcceptable, notFound, pageNotFound, unauthorized } from "./status.js";
import { toTable } from "./tables.js";
import type { IncludeObject } from "./tables.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";
import { toView } from "./views.js";
import { serveWatch, watchOptions } from "./watch.js";

/** One request as the sandbox saw it, for tests that assert exactly what kubectl did. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: string;
  userAgent?: string;
  contentType?: string;
  accept?: string;
  body?: unknown;
  status: number;
  /** The response's Content-Type (which encoding content negotiation chose). */
  responseType?: string;
  at: string;
}

/** What a delay matcher sees: the request before it is handled. */
export interface RequestInfo {
  method: string;
  path: string;
  query: Record<string, string>;
  verb: string;
}

export type DelayMatcher = RegExp | ((req: RequestInfo) => boolean);

export interface ServerOptions {
  token: string | undefined;
  kubernetesMinor: number;
  /** How often a watch that allows bookmarks gets one (the API server sends them about once a minute). */
  bookmarkIntervalMs: number;
  /** Serve https with this key pair; plain http when absent. */
  tls: { certPem: string; keyPem: string } | undefined;
}

const MAX_BODY = 8 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) reject(new ApiError(413, "RequestEntityTooLarge", "request entity too large"));
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}


function dryRunOf(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) if (v !== "All") throw badRequest(`Invalid dry run value "${v}": supported values are "All"`);
  return values.length > 0;
}

/**
 * A request body as the object it carries. Protobuf (client-go, kubectl 1.32+) is decoded to the JSON a
 * JSON client would send; server-side apply bodies are YAML (JSON is YAML); everything else is JSON.
 */
function decodeBody(raw: Buffer, mediaType: string): unknown {
  if (mediaType === PROTOBUF_MEDIA_TYPE) return decodeProtobufBody(raw);
  const text = raw.toString("utf8");
  if (mediaType === "application/apply-patch+yaml" || mediaType === "application/yaml") {
    try {
      return parseYaml(text) as unknown;
    } catch (error) {
      throw badRequest(`the request body is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw badRequest("the request body is not valid JSON");
  }
}

const STREAM_VERBS: Record<string, string> = { exec: "exec into", attach: "attach to", portforward: "port-forward to" };

/** The HTTP face of the sandbox: auth, request log, fault injection, discovery and the REST resources. */
export class SandboxServer {
  readonly requests: RecordedRequest[] = [];
  private readonly delays: { matcher: DelayMatcher; ms: number }[] = [];
  private readonly watches = new Set<() => void>();
  readonly server: Server;

  constructor(
    private readonly cluster: Cluster,
    private readonly api: Api,
    private readonly options: ServerOptions,
  ) {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.handle(req, res);
    };
    this.server = options.tls ? createHttpsServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler) : createHttpServer(handler);
  }

  setDelay(matcher: DelayMatcher, ms: number): void {
    this.delays.push({ matcher, ms });
  }

  clearDelays(): void {
    this.delays.length = 0;
  }

  closeWatches(): void {
    for (const end of [...this.watches]) end();
  }

  private delayFor(info: RequestInfo): number {
    let ms = 0;
    for (const d of this.delays) {
      const hit = d.matcher instanceof RegExp ? d.matcher.test(info.path) : d.matcher(info);
      if (hit) ms = Math.max(ms, d.ms);
    }
    return ms;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const method = req.method ?? "GET";
    const r = route(url.pathname);
    const verb = verbOf(method, r, url.searchParams);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      verb,
      ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}),
      ...(req.headers["content-type"] ? { contentType: req.headers["content-type"] } : {}),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      status: 0,
      at: new Date().toISOString(),
    };
    this.requests.push(record);
    const settle = (): void => {
      record.status ||= res.statusCode;
      const type = res.getHeader("content-type");
      if (typeof type === "string") record.responseType = type;
    };
    res.on("finish", () => {
      record.status = res.statusCode;
      settle();
    });
    res.on("close", settle);
    try {
      // Bodies are read for resource requests only: an unknown path is a 404 whatever its body says.
      const raw = method === "GET" || method === "HEAD" || r.kind !== "resource" ? Buffer.alloc(0) : await readBody(req);
      let body: unknown;
      if (raw.length > 0) {
        const mediaType = (req.headers["content-type"] ?? "").split(";")[0]?.trim() ?? "";
        // Recorded before decoding, so a body the sandbox rejects still shows in the request log.
        record.body = mediaType === PROTOBUF_MEDIA_TYPE ? `<${raw.length} bytes of protobuf>` : raw.toString("utf8");
        body = decodeBody(raw, mediaType);
        record.body = body;
      }
      const delay = this.delayFor({ method, path: url.pathname, query: record.query, verb });
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) throw unauthorized();
      this.api.settled();
      this.dispatch(r, req, res, url, method, body);
      // A watch is still open here, but its headers are out: record its type now, not when it ends.
      const type = res.headersSent ? res.getHeader("content-type") : undefined;
      if (typeof type === "string") record.responseType = type;
    } catch (error) {
      this.fail(res, error, r.kind === "resource" ? req.headers.accept : undefined);
    }
  }

  /** Writes a whole response; Content-Type goes through setHeader so the request log can read it back. */
  private send(res: ServerResponse, code: number, contentType: string, body: string | Buffer, cache = true): void {
    res.setHeader("Content-Type", contentType);
    res.setHeader("Content-Length", Buffer.byteLength(body));
    if (cache) res.setHeader("Cache-Control", "no-cache, private");
    res.writeHead(code);
    res.end(body);
  }

  private json(res: ServerResponse, code: number, value: unknown, contentType = "application/json"): void {
    this.send(res, code, contentType, JSON.stringify(value));
  }

  /** An API object in the encoding the client prefers (protobuf for built-in kinds when asked first, YAML when asked). */
  private object(req: IncomingMessage, res: ServerResponse, code: number, value: unknown): void {
    this.encoded(res, code, value, negotiate(req.headers.accept, protobufEncodable(value)));
  }

  private encoded(res: ServerResponse, code: number, value: unknown, encoding: ResponseEncoding | undefined): void {
    if (encoding === "protobuf") return this.send(res, code, PROTOBUF_MEDIA_TYPE, encodeProtobufBody(value as Json));
    if (encoding === "yaml") return this.send(res, code, "application/yaml", stringifyYaml(value));
    this.json(res, code, value);
  }

  /** Errors are Status objects, in the encoding a resource request's client prefers. */
  private fail(res: ServerResponse, error: unknown, accept: string | undefined): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const apiError = error instanceof ApiError ? error : new ApiError(500, "InternalError", `Internal error occurred: ${error instanceof Error ? error.message : String(error)}`);
    this.encoded(res, apiError.code, apiError.toStatus(), accept === undefined ? "json" : negotiate(accept, true));
  }

  private dispatch(r: Route, req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: unknown): void {
    const accept = req.headers.accept;
    const address = `${req.socket.localAddress ?? "127.0.0.1"}:${req.socket.localPort ?? 0}`;
    if (r.kind === "unknown") throw pageNotFound();
    if (r.kind !== "resource" && method !== "GET") throw methodNotAllowed();
    switch (r.kind) {
      case "version":
        return this.json(res, 200, versionInfo(this.options.kubernetesMinor));
      case "health":
        return this.send(res, 200, "text/plain", "ok", false);
      case "api":
      case "apis": {
        const aggregated = aggregatedVersion(accept);
        if (aggregated) return this.json(res, 200, aggregatedDiscovery(r.kind === "api", aggregated), aggregated === "v2" ? AGGREGATED_V2 : AGGREGATED_V2BETA1);
        return this.json(res, 200, r.kind === "api" ? apiVersions(address) : apiGroupList());
      }
      case "group": {
        const doc = apiGroupDoc(r.group);
        if (!doc) throw pageNotFound();
        return this.json(res, 200, doc);
      }
      case "groupVersion": {
        const doc = apiResourceList(r.group, r.version);
        if (!doc) throw pageNotFound();
        return this.json(res, 200, doc);
      }
      case "metrics": {
        const text = apiServerMetrics(this.requests, this.cluster.store);
        return this.send(res, 200, "text/plain; version=0.0.4; charset=utf-8", text, false);
      }
      case "nodeProxy": {
        const answer = nodeProxy(this.cluster, r.node, r.path, url.searchParams);
        if (!answer) throw notFound(NODES, r.node);
        if (answer.kind === "json") return this.json(res, 200, answer.body);
        return this.send(res, answer.code, answer.contentType ?? "text/plain; charset=utf-8", answer.body, false);
      }
      case "openapiV2": {
        // client-go asks for the gnostic protobuf form only; the sandbox serves JSON to clients that accept it.
        const acceptsJson = (accept ?? "").split(",").some((part) => ["application/json", "*/*", "application/*"].includes(part.split(";")[0]?.trim() ?? ""));
        if (!acceptsJson) throw new ApiError(406, "NotAcceptable", "only application/json is served for /openapi/v2 by the rag-k8s sandbox");
        return this.json(res, 200, v2Document(this.options.kubernetesMinor));
      }
      case "openapiIndex":
        return this.json(res, 200, openApiIndex());
      case "openapiDoc": {
        const doc = openApiDocument(r.path, this.options.kubernetesMinor);
        if (!doc) throw pageNotFound();
        return this.json(res, 200, doc);
      }
      case "resource":
        return this.resource(r.target, req, res, url, method, body);
    }
  }

  private resource(t: ResourcePath, req: IncomingMessage, res: ServerResponse, url: URL, method: string, body: unknown): void {
    const q = url.searchParams;
    const { type, namespace, name, subresource } = t;
    if (subresource !== undefined && subresource !== "status" && !type.subresources.some((s) => s.name === subresource)) throw pageNotFound();
    if (subresource === "status" && !type.statusSubresource) throw pageNotFound();
    if (subresource === "exec" || subresource === "attach" || subresource === "portforward") return this.stream(t, req);
    // Negotiated before any work, as the API server does: a client that accepts only protobuf gets a 406 for kinds without a message.
    const servedKind = subresource === "scale" ? { apiVersion: "autoscaling/v1", kind: "Scale" } : { apiVersion: apiVersionOf(type), kind: type.kind };
    const encoding = subresource === "log" || this.wantsTable(req) ? "json" : negotiate(req.headers.accept, protobufEncodable(servedKind));
    // YAML has no watch framing on the API server either.
    if (encoding === undefined || (encoding === "yaml" && boolParam(q, "watch"))) throw notAcceptable();
    const dryRun = method !== "GET" ? dryRunOf(q) : false;
    const selectors = { labelSelector: q.get("labelSelector") ?? undefined, fieldSelector: q.get("fieldSelector") ?? undefined };
    if (method === "GET" && name === undefined) {
      if (boolParam(q, "watch")) return this.watch(t, res, q, encoding);
      const listed = this.api.list(type, namespace, selectors);
      const listMeta = { resourceVersion: listed.resourceVersion };
      if (this.wantsTable(req)) {
        return this.json(res, 200, toTable(type, listed.items, (o) => (type.storedAs ? listed.stored[listed.items.indexOf(o)] ?? o : o), this.includeObject(q), listMeta, this.cluster.now()));
      }
      return this.object(req, res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: listMeta, items: listed.items });
    }
    if (method === "GET" && name !== undefined) {
      if (subresource === "log") return this.logs(res, namespace as string, name, q);
      if (subresource === "scale") {
        const scale = this.api.getScale(type, namespace, name);
        if (!this.wantsTable(req)) return this.object(req, res, 200, scale);
        return this.json(res, 200, toTable({ group: "autoscaling", kind: "Scale" }, [scale], () => scale, this.includeObject(q), { resourceVersion: scale.metadata.resourceVersion ?? "" }, this.cluster.now()));
      }
      const obj = this.api.get(type, namespace, name);
      // The status subresource prints with its kind's columns, as the API server's table convertor does.
      if (this.wantsTable(req) && (subresource === undefined || subresource === "status")) {
        const stored = type.storedAs ? this.cluster.store.mustGet(type, namespace, name) : obj;
        return this.json(res, 200, toTable(type, [obj], () => stored, this.includeObject(q), { resourceVersion: obj.metadata.resourceVersion ?? "" }, this.cluster.now()));
      }
      return this.object(req, res, 200, obj);
    }
    if (method === "POST" && name !== undefined && subresource === "eviction") {
      return this.object(req, res, 201, this.api.evict(namespace as string, name, body, dryRun));
    }
    const writer = { ...(q.get("fieldManager") ? { fieldManager: q.get("fieldManager") as string } : {}), ...(req.headers["user-agent"] ? { userAgent: req.headers["user-agent"] } : {}), force: boolParam(q, "force") };
    if (method === "POST" && name === undefined) return this.object(req, res, 201, this.api.create(type, namespace, body, dryRun, writer));
    if (method === "PUT" && name !== undefined) return this.object(req, res, 200, this.api.update(type, namespace, name, body, subresource, dryRun, writer));
    if (method === "PATCH" && name !== undefined) {
      const patchType = patchTypeOf(req.headers["content-type"]);
      if (!patchType) throw new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`);
      if (patchType === "apply") {
        const applied = this.api.apply(type, namespace, name, body, subresource, dryRun, writer);
        return this.object(req, res, applied.created ? 201 : 200, applied.object);
      }
      if (q.has("force")) throw new ApiError(422, "Invalid", `PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch`);
      return this.object(req, res, 200, this.api.patch(type, namespace, name, patchType, body, subresource, dryRun, writer));
    }
    if (method === "DELETE") {
      const options = isRecord(body) ? body : {};
      const bodyDryRun = Array.isArray(options["dryRun"]) && options["dryRun"].includes("All");
      const deleteOptions = {
        dryRun: dryRun || bodyDryRun,
        ...(typeof (options["propagationPolicy"] ?? q.get("propagationPolicy")) === "string" ? { propagationPolicy: String(options["propagationPolicy"] ?? q.get("propagationPolicy")) } : {}),
        ...(isRecord(options["preconditions"]) ? { preconditions: options["preconditions"] as { uid?: string; resourceVersion?: string } } : {}),
      };
      if (name !== undefined) return this.object(req, res, 200, this.api.delete(type, namespace, name, deleteOptions));
      const items = this.api.deleteCollection(type, namespace, selectors, deleteOptions);
      return this.object(req, res, 200, { kind: `${type.kind}List`, apiVersion: apiVersionOf(type), metadata: { resourceVersion: String(this.cluster.store.resourceVersion) }, items });
    }
    throw methodNotAllowed();
  }

  /**
   * exec, attach and port-forward: the sandbox runs no processes, so it refuses the stream upgrade with
   * a Status kubectl and client-go report as "unable to upgrade connection: <message>".
   */
  private stream(t: ResourcePath, req: IncomingMessage): never {
    this.api.get(t.type, t.namespace, t.name ?? "");
    if (!req.headers.upgrade) throw badRequest("Upgrade request required");
    throw badRequest(`the rag-k8s sandbox runs no container processes, so it cannot ${STREAM_VERBS[t.subresource ?? ""] ?? "stream to"} pod ${t.namespace ?? ""}/${t.name ?? ""}; read its logs, describe it or list its events instead`);
  }

  private wantsTable(req: IncomingMessage): boolean {
    return (req.headers.accept ?? "").split(",").some((part) => part.includes("as=Table") && part.includes("g=meta.k8s.io"));
  }

  private includeObject(q: URLSearchParams): IncludeObject {
    const v = q.get("includeObject");
    return v === "None" || v === "Object" ? v : "Metadata";
  }

  private watch(t: ResourcePath, res: ServerResponse, q: URLSearchParams, encoding: ResponseEncoding): void {
    if (t.type.virtual) throw methodNotAllowed();
    const options = watchOptions(q);
    const byLabel = labelMatcher(q.get("labelSelector") ?? undefined);
    const byField = fieldMatcher(q.get("fieldSelector") ?? undefined, t.type.fieldLabels);
    const end = serveWatch(
      this.cluster.store,
      res,
      {
        type: t.type,
        namespace: t.namespace,
        matches: (o: KubeObject) => byLabel(o) && byField(o),
        resourceVersion: q.get("resourceVersion") ?? undefined,
        timeoutSeconds: intParam(q, "timeoutSeconds"),
        toView: (o) => toView(t.type, o),
        ...options,
        bookmarkIntervalMs: this.options.bookmarkIntervalMs,
        stream:
          encoding === "protobuf"
            ? { contentType: `${PROTOBUF_MEDIA_TYPE};stream=watch`, frame: (type, object) => encodeWatchFrame(type, object as Json) }
            : { contentType: "application/json", frame: (type, object) => `${JSON.stringify({ type, object })}\n` },
      },
      () => this.watches.delete(end),
    );
    this.watches.add(end);
  }

  private logs(res: ServerResponse, namespace: string, name: string, q: URLSearchParams): void {
    const sinceSeconds = intParam(q, "sinceSeconds");
    const tailLines = intParam(q, "tailLines");
    const limitBytes = intParam(q, "limitBytes");
    const text = this.api.logs(namespace, name, {
      ...(q.get("container") ? { container: q.get("container") as string } : {}),
      previous: boolParam(q, "previous"),
      timestamps: boolParam(q, "timestamps"),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(q.get("sinceTime") ? { sinceTime: q.get("sinceTime") as string } : {}),
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(limitBytes !== undefined ? { limitBytes } : {}),
    });
    this.send(res, 200, "text/plain", text, false);
  }
}

