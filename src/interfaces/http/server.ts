import { randomUUID } from "node:crypto";
import Fastify, { LogController } from "fastify";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { levels } from "pino";
import type { DestinationStream } from "pino";
import type { z } from "zod";
import { classifyError } from "../../app/errors.js";
import { execOperation, healthOperation, planOperation, readOperation, retrieveOperation, validateOperation } from "../../app/operations/index.js";
import type { Operation } from "../../app/operations/index.js";
import type { RagK8s } from "../../app/runtime.js";
import { createIdempotencyStore, IdempotencyKeySchema, requestDigest } from "../../approval/index.js";
import type { IdempotencyStore } from "../../approval/index.js";
import { parseWith } from "../../core/errors.js";
import { InFlight } from "../../core/in-flight.js";
import type { ExecAnswer } from "../../core/response.js";
import { Draining, HTTP_STATUS, HostAllowList, PerClientLimit, assertSafeBind, bearerMatches, boundPort, requestHost } from "../shared/http.js";
import type { Metrics } from "./metrics.js";
import { rememberJsonBodies } from "./bodies.js";
import { responseJson } from "./json.js";
import { FixedDeadlines } from "./deadlines.js";
import { lazyChildLoggers } from "./lazy-logger.js";
import { OpenRequest, attachOpenRequest, decorateOpenRequests, openRequestOf, openRequestOrNull } from "./open-request.js";
import { Slots } from "./slots.js";

export { HttpConfigError, assertSafeBind } from "../shared/http.js";

export interface HttpOptions {
  readonly host: string;
  readonly token?: string | undefined;
  readonly bodyLimitBytes: number;
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  /** Host header values (and Origin hosts) accepted besides the loopback names with the bound port. */
  readonly allowedHosts?: readonly string[];
  /** Time to receive a request's body; a slower upload is answered 408 and its connection closed (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** Requests one client address may have open at once, body upload included (default: concurrency). */
  readonly perClientConcurrency?: number;
  readonly logLevel: string;
  /** Where the log goes; default stdout. */
  readonly logStream?: DestinationStream;
  /** False while something configured (the planner model) is still loading. */
  readonly ready?: () => boolean;
  /** Why something configured failed to load (then /health is 503 "failed" with this reason), or null. */
  readonly failure?: () => string | null;
  /** What GET /health reports besides readiness, to a request with the bearer token (without one: readiness only). */
  readonly health: () => Promise<Record<string, unknown>> | Record<string, unknown>;
}

class TimeoutError extends Error {}

/** An operation's answer as JSON (see responseJson), with the content type fastify gives a serialized object. */
function sendJson(reply: FastifyReply, body: object): FastifyReply {
  return reply.header("content-type", "application/json; charset=utf-8").send(responseJson(body));
}

/** The HTTP face of a runtime: every body is validated with the same zod schemas as the CLI and MCP. */
export function createHttpServer(runtime: RagK8s, options: HttpOptions, metrics: Metrics): FastifyInstance {
  assertSafeBind(options.host, options.token);
  const app = Fastify({
    logger: { level: options.logLevel, ...(options.logStream ? { stream: options.logStream } : {}) },
    // Fastify's own two lines per request cost ~40% of /plan throughput; one line per request is written below.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: lazyChildLoggers,
    bodyLimit: options.bodyLimitBytes,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  });
  rememberJsonBodies(app);
  decorateOpenRequests(app);
  // "silent" and unknown names have no value: nothing is enabled.
  const threshold = levels.values[options.logLevel] ?? Infinity;
  const logs = (level: "info" | "debug") => (levels.values[level] as number) >= threshold;
  const slots = new Slots(options.concurrency);
  // Operations outlive their request after a 504 or a hang-up; close() waits for them so they are audited.
  const operations = new InFlight();
  app.addHook("onClose", async () => {
    await operations.settled();
  });

  const bodyTimeoutMs = options.bodyTimeoutMs ?? 10_000;
  const perClient = new PerClientLimit(options.perClientConcurrency ?? options.concurrency);
  // The port is known once listening (port 0 picks one).
  let hostList: HostAllowList | undefined;
  const allowList = () => (hostList ??= new HostAllowList(options.allowedHosts ?? [], boundPort(app.server, 0)));
  // Writes answered once per (client, Idempotency-Key): a retry after a 504 gets the first run's answer.
  const idempotent = createIdempotencyStore<ExecAnswer>();
  // Set when a POST arrives, cancelled once its body is in (preHandler); firing first answers 408.
  const bodyDeadlines = new FixedDeadlines<OpenRequest>(bodyTimeoutMs, ({ request, reply }) => {
    if (reply.raw.headersSent) return;
    reply.raw.writeHead(408, { "content-type": "application/json; charset=utf-8", connection: "close" });
    reply.raw.end(JSON.stringify({ error: "request_timeout", message: `the request body did not arrive within ${bodyTimeoutMs} ms` }));
    request.raw.destroy();
  });
  // Set when an operation starts; firing first answers 504 (the operation goes on: see the 504's message).
  const requestDeadlines = new FixedDeadlines<OpenRequest>(options.requestTimeoutMs, (open) => {
    open.requestDeadline = null;
    if (!open.reply.sent) open.reply.send(new TimeoutError());
  });
  const draining = new Draining(app.server);
  /**
   * Once a response is gone (sent, or the client hung up): a POST gives back everything it holds, and a response
   * that was sent is counted in the metrics and, where its level is on, logged. One listener on the response does
   * both: an onResponse hook more for every request cost as much as the metrics themselves.
   */
  const responseGone = (request: FastifyRequest, reply: FastifyReply) => {
    const open = openRequestOrNull(request);
    if (open !== null) {
      perClient.release(open.client);
      bodyDeadlines.cancel(open.bodyDeadline);
      open.bodyDeadline = null;
      slots.release(open);
    }
    draining.afterSend();
    // A client that hung up before the response was out has no status to count (fastify's onResponse skips it too).
    if (reply.raw.writableFinished) responseSent(request, reply, open);
  };
  const responseSent = (request: FastifyRequest, reply: FastifyReply, open: OpenRequest | null) => {
    // The handler records its route; anything answered before one ran asks fastify (a getter that builds an object).
    const route = open?.route ?? request.routeOptions.url ?? "unknown";
    metrics.observeRequest(route, reply.statusCode, reply.elapsedTime / 1000);
    // Executions change the cluster, rejected credentials and server errors need attention: info. Everything else
    // is counted in the metrics (and plans are audited), so it is debug: at info a plan-heavy client would have the
    // server spend its time writing the log.
    const level = route === "/k8s-exec" || reply.statusCode === 401 || reply.statusCode >= 500 ? "info" : "debug";
    if (logs(level)) {
      const outcome = open?.status !== undefined ? { status: open.status, decision: open.decision } : {};
      request.log[level](
        { method: request.method, route, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 1000) / 1000, ...outcome },
        "request completed",
      );
    }
  };
  /**
   * A POST whose body is in (called first by every POST handler, where a preHandler hook would cost every request
   * a hook run): its body deadline is over, and it takes an operation slot, or is answered 429 and gets false.
   */
  const admit = (request: FastifyRequest, reply: FastifyReply): boolean => {
    const open = openRequestOf(request);
    bodyDeadlines.cancel(open.bodyDeadline);
    open.bodyDeadline = null;
    if (slots.tryAcquire(open)) return true;
    reply.code(429).header("retry-after", "1").send({ error: "too_many_requests", message: `more than ${options.concurrency} operations in flight; retry shortly` });
    return false;
  };
  /**
   * Runs `work` for a POST: it holds the request's slot and the server's close() until it settles, and it is
   * answered with `answer` unless its deadline answered 504 first. One reaction per operation does all of it.
   */
  const runGuarded = <T>(request: FastifyRequest, reply: FastifyReply, work: Promise<T>, answer: (output: T) => void): void => {
    const open = openRequestOf(request);
    operations.start();
    slots.retain(open);
    open.requestDeadline = requestDeadlines.set(open);
    const settle = () => {
      operations.end();
      requestDeadlines.cancel(open.requestDeadline);
      open.requestDeadline = null;
      slots.release(open);
    };
    work.then(
      (output) => {
        settle();
        if (!reply.sent) answer(output);
      },
      (error: unknown) => {
        settle();
        if (!reply.sent) reply.send(error instanceof Error ? error : new Error(String(error)));
      },
    );
  };

  // Hooks take callbacks, not promises: they run for every request, and /plan is answered in tens of microseconds.
  app.addHook("onRequest", (request, reply, done) => {
    // "close" fires once per response, also when the client hangs up first (where fastify's onResponse never runs):
    // a plain listener (no once() wrapper) settles everything about it.
    reply.raw.on("close", () => responseGone(request, reply));
    const refusal = allowList().refusal(requestHost(request.raw), request.headers.origin);
    if (refusal) {
      reply.code(403).header("connection", "close").send({ error: "forbidden_host", message: refusal });
      return;
    }
    // routeOptions.url is the matched route, so neither a query string nor an unknown path can pass as /health.
    if (options.token && request.routeOptions.url !== "/health") {
      if (!bearerMatches(request.headers.authorization, options.token)) {
        reply.code(401).header("www-authenticate", "Bearer").send({ error: "unauthorized", message: "a valid bearer token is required" });
        return;
      }
    }
    if (request.method === "POST") {
      const open = new OpenRequest(request.ip, request, reply);
      if (!perClient.tryAcquire(open.client)) {
        reply
          .code(429)
          .header("retry-after", "1")
          .header("connection", "close")
          .send({ error: "too_many_requests", message: `this client already has ${perClient.limit} requests open; retry shortly` });
        return;
      }
      // A body that trickles in holds a connection, never an operation slot (taken once the body is in).
      open.bodyDeadline = bodyDeadlines.set(open);
      attachOpenRequest(open);
    }
    done();
  });
  // Read by onSend without building a header setter for every response while the server is not closing.
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
    draining.start();
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) draining.beforeSend((name, value) => reply.header(name, value));
    done(null, payload);
  });

  // Every error, 404 and 405 included, has one shape: { error: code, message, issues?, operationId? }.
  const allowed = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = allowed.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    allowed.set(route.url, methods);
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split("?")[0] ?? "/";
    const methods = allowed.get(path);
    if (methods) {
      const allow = [...methods].sort().join(", ");
      return reply.code(405).header("allow", allow).send({ error: "method_not_allowed", message: `${request.method} is not allowed on ${path}; use ${allow}` });
    }
    const routes = [...allowed].map(([url, m]) => `${[...m].filter((x) => x !== "HEAD").join("/")} ${url}`);
    return reply.code(404).send({ error: "not_found", message: `no route ${request.method} ${path}; routes: ${routes.join(", ")}` });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    if (error instanceof TimeoutError) {
      return reply.code(504).send({
        error: "timeout",
        message:
          `not finished within ${options.requestTimeoutMs} ms; the operation may still complete and is audited under operationId. ` +
          "Retrying a write runs it again unless the first request carried an Idempotency-Key: resend with the same key to get the first run's answer",
        operationId: request.id,
      });
    }
    // Fastify's own client errors (malformed JSON, a body over the limit) carry their status.
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.code ?? "bad_request", message: error.message });
    }
    const failure = classifyError(error);
    if (failure.kind === "input" || failure.kind === "usage") {
      return reply.code(HTTP_STATUS[failure.kind]).send({ error: "invalid_request", message: failure.message, issues: failure.issues ?? [] });
    }
    request.log.error({ err: error }, "request failed");
    if (failure.kind === "internal") {
      return reply.code(500).send({ error: "internal", message: "internal error; see the server log", operationId: request.id });
    }
    return reply.code(HTTP_STATUS[failure.kind]).send({ error: failure.kind, message: failure.message, operationId: request.id });
  });

  /** Registers an operation as a POST route: the body is validated with its input schema, then it runs guarded. */
  const route = <I extends z.ZodType, O, D extends keyof RagK8s>(operation: Operation<I, O, D>, record?: (request: FastifyRequest, output: O) => void) => {
    // Not async: the answer is sent from the operation's one reaction (see runGuarded), not through a returned promise.
    app.post(operation.http.path, (request: FastifyRequest, reply: FastifyReply) => {
      openRequestOf(request).route = operation.http.path;
      if (!admit(request, reply)) return;
      const input = parseWith(operation.input, request.body ?? {});
      runGuarded(request, reply, operation.run(runtime, input, { operationId: request.id }), (output) => {
        record?.(request, output);
        if (typeof output === "object" && output !== null) sendJson(reply, output);
        else reply.send(output);
      });
    });
  };
  const recordOutcome = (request: FastifyRequest, response: ExecAnswer) => {
    const open = openRequestOf(request);
    open.status = response.status;
    open.decision = response.decision;
  };
  /** POST /k8s-exec, answered once per Idempotency-Key: a retry gets the first run's answer (marked replayed). */
  const execRoute = (store: IdempotencyStore<ExecAnswer>) => {
    app.post(execOperation.http.path, (request: FastifyRequest, reply: FastifyReply) => {
      openRequestOf(request).route = execOperation.http.path;
      if (!admit(request, reply)) return;
      const input = parseWith(execOperation.input, request.body ?? {});
      const header = request.headers["idempotency-key"];
      const run = () => execOperation.run(runtime, input, { operationId: request.id });
      if (header === undefined) {
        runGuarded(request, reply, run(), (output) => {
          recordOutcome(request, output);
          sendJson(reply, output);
        });
        return;
      }
      const key = IdempotencyKeySchema.safeParse(header);
      if (!key.success) {
        reply.code(400).send({ error: "invalid_request", message: `Idempotency-Key header: ${key.error.issues[0]?.message ?? "invalid"}`, issues: [] });
        return;
      }
      runGuarded(request, reply, store.run({ key: key.data, client: request.ip, requestDigest: requestDigest(input) }, run), (outcome) => {
        switch (outcome.kind) {
          case "conflict":
            reply.code(422).send({ error: "idempotency_conflict", message: outcome.message });
            return;
          case "busy":
            reply.code(429).header("retry-after", "1").send({ error: "too_many_requests", message: outcome.message });
            return;
          case "replayed":
            recordOutcome(request, outcome.value);
            sendJson(reply.header("idempotent-replayed", "true"), { ...outcome.value, replayed: true });
            return;
          case "first":
            recordOutcome(request, outcome.value);
            sendJson(reply, outcome.value);
            return;
        }
      });
    });
  };

  app.get("/health", async (request, reply) => {
    const failure = options.failure?.() ?? null;
    const ready = failure === null && (options.ready?.() ?? true);
    const status = failure !== null ? "failed" : ready ? "ready" : "starting";
    // Target, versions and the sandbox URL only to a caller holding the token; anyone may ask whether it is up (and why not).
    const details = options.token !== undefined && bearerMatches(request.headers.authorization, options.token) ? await options.health() : {};
    return reply.code(ready ? 200 : 503).send({ status, ...(failure !== null ? { reason: failure } : {}), ...details });
  });
  route(readOperation, recordOutcome);
  execRoute(idempotent);
  route(planOperation, recordOutcome);
  route(retrieveOperation);
  route(validateOperation);
  route(healthOperation);
  app.get("/metrics", async (_request, reply) => {
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  return app;
}
