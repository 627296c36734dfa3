import { randomUUID, timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import Fastify, { LogController } from "fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { levels } from "pino";
import type { DestinationStream } from "pino";
import { RequestValidationError, parseWith } from "../../core/errors.js";
import type { RagK8s } from "../../core/runtime.js";
import type { Metrics } from "./metrics.js";
import { RetrieveBodySchema, ValidateBodySchema } from "./schemas.js";
import { InFlight } from "./in-flight.js";
import { Slots } from "./slots.js";

export interface HttpOptions {
  readonly host: string;
  readonly token?: string | undefined;
  readonly bodyLimitBytes: number;
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  readonly logLevel: string;
  /** Where the log goes; default stdout. */
  readonly logStream?: DestinationStream;
  /** False while something configured (the planner model) is still loading. */
  readonly ready?: () => boolean;
  /** What GET /health reports besides readiness. */
  readonly health: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

export class HttpConfigError extends Error {
  override readonly name = "HttpConfigError";
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

/** Throws HttpConfigError for an address off loopback without a bearer token. */
export function assertSafeBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token) {
    throw new HttpConfigError(
      `refusing to listen on ${host} without a bearer token: set http.token (RAGK8S_HTTP_TOKEN) or bind to 127.0.0.1`,
    );
  }
}

class TimeoutError extends Error {}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function withTimeout<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError()), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** The HTTP face of a runtime: every body is validated with the same zod schemas as the CLI and MCP. */
export function createHttpServer(runtime: RagK8s, options: HttpOptions, metrics: Metrics): FastifyInstance {
  assertSafeBind(options.host, options.token);
  const app = Fastify({
    logger: { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Fastify's own two lines per request cost ~40% of /plan throughput; one line per request is written below.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: options.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  // "silent" and unknown names have no value: nothing is enabled.
  const threshold = levels.values[options.logLevel] ?? Infinity;
  const logs = (level: "info" | "debug") => (levels.values[level] as number) >= threshold;
  // What an operation ended as, for its request's log line.
  const outcomes = new WeakMap<FastifyRequest, { status: string; decision: string | null }>();
  const slots = new Slots<FastifyRequest>(options.concurrency);
  // Operations outlive their request after a 504 or a hang-up; close() waits for them so they are audited.
  const operations = new InFlight();
  app.addHook("onClose", async () => {
    await operations.settled();
  });

  app.addHook("onRequest", async (request, reply) => {
    // routeOptions.url is the matched route, so neither a query string nor an unknown path can pass as /health.
    if (options.token && request.routeOptions.url !== "/health") {
      const header = request.headers.authorization ?? "";
      const given = header.startsWith("Bearer ") ? header.slice(7) : "";
      if (!sameToken(given, options.token)) {
        return reply.code(401).header("www-authenticate", "Bearer").send({ error: "unauthorized", message: "a valid bearer token is required" });
      }
    }
    if (request.method === "POST") {
      if (!slots.tryAcquire(request)) {
        return reply.code(429).header("retry-after", "1").send({ error: "too_many_requests", message: `more than ${options.concurrency} operations in flight; retry shortly` });
      }
      // "close" also fires when the client hangs up before a response, where onResponse never runs.
      reply.raw.once("close", () => slots.release(request));
    }
    return undefined;
  });
  // Node's server.close() reaps only connections idle at that moment: a keep-alive connection whose request was
  // in flight would then hold shutdown open for the whole keep-alive timeout. Tell those clients the
  // connection ends with this response, and reap it as soon as the response is out.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onResponse", async (request, reply) => {
    if (closing) app.server.closeIdleConnections();
    const route = request.routeOptions.url ?? "unknown";
    metrics.observeRequest(route, reply.statusCode, reply.elapsedTime / 1000);
    // Executions change the cluster, rejected credentials and server errors need attention: info. Everything else
    // is counted in the metrics (and plans are audited), so it is debug: at info a plan-heavy client would have the
    // server spend its time writing the log.
    const level = route === "/k8s-exec" || reply.statusCode === 401 || reply.statusCode >= 500 ? "info" : "debug";
    if (!logs(level)) return;
    const outcome = outcomes.get(request);
    request.log[level](
      { method: request.method, route, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 1000) / 1000, ...outcome },
      "request completed",
    );
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof RequestValidationError) {
      return reply.code(400).send({ error: "invalid_request", message: error.message, issues: error.issues });
    }
    if (error instanceof TimeoutError) {
      return reply.code(504).send({
        error: "timeout",
        message: `not finished within ${options.requestTimeoutMs} ms; the operation may still complete and is audited under operationId`,
        operationId: request.id,
      });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.code ?? "bad_request", message: error.message });
    }
    request.log.error({ err: error }, "request failed");
    return reply.code(500).send({ error: "internal", message: "internal error; see the server log", operationId: request.id });
  });

  const guarded = <T>(request: FastifyRequest, work: Promise<T>) => {
    slots.holdUntil(request, work);
    void operations.track(work);
    return withTimeout(options.requestTimeoutMs, work);
  };
  const exec = (mode: "exec" | "plan") => async (request: FastifyRequest, reply: FastifyReply) => {
    const response = await guarded(request, runtime[mode](request.body, { operationId: request.id }));
    outcomes.set(request, { status: response.status, decision: response.decision });
    return reply.send(response);
  };

  app.get("/health", async (_request, reply) => {
    const ready = options.ready?.() ?? true;
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "starting", ...(await options.health()) });
  });
  app.post("/k8s-exec", exec("exec"));
  app.post("/plan", exec("plan"));
  app.post("/retrieve", async (request) => {
    const body = parseWith(RetrieveBodySchema, request.body ?? {});
    if (body.query.trim() === "" && !body.intent && !body.resource) {
      throw new RequestValidationError([{ path: "query", message: "give a query, an intent or a resource" }]);
    }
    const hits = await guarded(
      request,
      runtime.retrieve(body.query, { ...(body.intent ? { intent: body.intent } : {}), ...(body.resource ? { resource: body.resource } : {}), ...(body.k ? { k: body.k } : {}) }),
    );
    const context = runtime.context(hits, body.tokenBudget);
    return {
      mode: runtime.retriever.mode,
      hits: hits.map((h) => ({ id: h.card.id, title: h.card.title, intent: h.card.intent, resource: h.card.resource, risk: h.card.risk_level, score: h.score })),
      context: context.text,
      tokens: context.tokens,
    };
  });
  app.post("/validate", async (request) => {
    const body = parseWith(ValidateBodySchema, request.body ?? {});
    const { parsed: _parsed, ...verdict } = runtime.validate(body.command, body.namespace ? { namespace: body.namespace } : {});
    return verdict;
  });
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  return app;
}
