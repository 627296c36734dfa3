import type { FastifyInstance } from "fastify";
import { classifyError } from "../../app/errors.js";
import type { Config } from "../../config/index.js";
import { createRagK8s } from "../../app/runtime.js";
import type { RuntimeOptions } from "../../app/runtime.js";
import { assertSafeBind, boundPort, defaultPerClientConcurrency, urlOf } from "../shared/http.js";
import { createMetrics } from "./metrics.js";
import { createHttpServer } from "./server.js";

export interface ServeOptions {
  readonly config: Config;
  readonly sandbox?: RuntimeOptions["sandbox"];
  /** Environment kubectl inherits from (filtered by the runtime); default process.env. */
  readonly env?: RuntimeOptions["env"];
  /** Where kube.kubeconfig/kube.context came from (loadConfig's sources), for the target line. */
  readonly sources?: RuntimeOptions["sources"];
  /** Load the planner model before listening; otherwise it loads right after, and /health says 503 until then. */
  readonly preload?: boolean;
}

export interface RunningServer {
  readonly url: string;
  /** Where operations go, in words (printed at start). */
  readonly target: string;
  /** Stops accepting, lets in-flight operations finish, then drains the executor and flushes the audit log. */
  close(): Promise<void>;
}

async function kubectlVersion(run: (argv: string[]) => Promise<{ code: number | null; stdout: string }>): Promise<string | null> {
  try {
    const result = await run(["kubectl", "version", "--client", "-o", "json"]);
    if (result.code !== 0) return null;
    const parsed = JSON.parse(result.stdout) as { clientVersion?: { gitVersion?: string } };
    return parsed.clientVersion?.gitVersion ?? null;
  } catch {
    return null;
  }
}

/** Starts the HTTP service with a warm runtime (cards, policy, index and any model loaded before listening). */
export async function serve(options: ServeOptions): Promise<RunningServer> {
  const { config } = options;
  // Before anything is loaded: a refused bind must not leave a runtime (or its sandbox) running.
  assertSafeBind(config.http.host, config.http.token);
  const metrics = createMetrics();
  const runtime = await createRagK8s({
    config,
    sandbox: options.sandbox ?? "auto",
    observe: metrics.observe,
    preloadModel: options.preload ?? false,
    ...(options.env ? { env: options.env } : {}),
    ...(options.sources ? { sources: options.sources } : {}),
  });
  let modelReady = options.preload === true || config.llm.provider === "none";
  // Why the planner model failed to load, for /health: a server that cannot plan goals says so instead of "starting".
  let modelFailure: string | null = null;
  let app: FastifyInstance;
  try {
    const kubectl = await kubectlVersion((argv) => runtime.executor.run(argv));
    app = createHttpServer(
      runtime,
      {
        host: config.http.host,
        token: config.http.token,
        bodyLimitBytes: config.http.bodyLimitBytes,
        concurrency: config.http.concurrency,
        requestTimeoutMs: config.http.requestTimeoutMs,
        allowedHosts: config.http.allowedHosts,
        bodyTimeoutMs: config.http.bodyTimeoutMs,
        perClientConcurrency: config.http.perClientConcurrency ?? defaultPerClientConcurrency(config.http),
        logLevel: config.logLevel,
        ready: () => modelReady,
        failure: () => modelFailure,
        health: () => ({
          target: runtime.target.kind,
          ...(runtime.target.sandboxUrl ? { sandboxUrl: runtime.target.sandboxUrl } : {}),
          kubectl,
          cards: runtime.cards.cards.length,
          cardSetHash: runtime.cards.hash,
          retrieval: runtime.retriever.mode,
          llm: config.llm.provider,
        }),
      },
      metrics,
    );
    await app.listen({ host: config.http.host, port: config.http.port });
  } catch (error) {
    await runtime.close();
    throw error;
  }
  if (!modelReady) {
    runtime.warm().then(
      () => (modelReady = true),
      (error: unknown) => {
        modelFailure = `the planner model failed to load: ${classifyError(error).message.split("\n")[0]}`;
        app.log.error({ err: error }, "the planner model failed to load");
      },
    );
  }
  const port = boundPort(app.server, config.http.port);
  let closing: Promise<void> | null = null;
  return {
    url: urlOf(config.http.host, port),
    target: runtime.target.describe,
    close() {
      closing ??= (async () => {
        await app.close();
        await runtime.close();
      })();
      return closing;
    },
  };
}
