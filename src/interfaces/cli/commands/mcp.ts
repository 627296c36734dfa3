import { effectivePolicy } from "../../../app/policy.js";
import { cliConfig, openRuntime } from "../context.js";
import type { GlobalOptions } from "../options.js";
import { compileValidatorsFromNowOn } from "../validators.js";
import { listening, untilSignal } from "./lifecycle.js";

export interface McpFlags {
  readonly http?: boolean;
  readonly host?: string;
  readonly port?: number;
}

const warnings = { onWarning: (message: string) => process.stderr.write(`warning: ${message}\n`) };

/**
 * `rag-k8s mcp`: MCP over stdio (for Claude Code and other agents), or streamable HTTP with --http.
 *
 * Over stdio the client's first questions (initialize, tools/list) depend only on configuration and policy, so
 * they are answered before the runtime (cards, retriever, target, executor, audit log) exists, from the tool
 * listing computed at build time; the runtime is built right after and every tool call waits for it. A broken
 * configuration or policy still fails before anything is served; a target that cannot be opened stops the server.
 */
export async function runMcp(flags: McpFlags, options: GlobalOptions): Promise<number> {
  const loaded = cliConfig(options);
  return flags.http ? serveHttp(flags, options, loaded) : serveStdio(options, loaded);
}

async function serveStdio(options: GlobalOptions, loaded: ReturnType<typeof cliConfig>): Promise<number> {
  const policy = effectivePolicy(loaded.config);
  const [{ serveStdio: serve }, { DeferredRuntime }, { readToolListing }] = await Promise.all([
    import("../../mcp/stdio.js"),
    import("../../mcp/tools.js"),
    import("../../mcp/listing.js"),
  ]);
  const deferred = new DeferredRuntime(loaded.config, policy, async () => {
    const runtime = await openRuntime(options, warnings, loaded);
    compileValidatorsFromNowOn();
    // stdout is the MCP channel; people read stderr.
    process.stderr.write(`rag-k8s MCP target   ${runtime.target.describe}\n`);
    return runtime;
  });
  try {
    await serve(deferred, { listing: readToolListing(import.meta.url) });
    return 0;
  } finally {
    await (await deferred.built())?.close();
  }
}

async function serveHttp(flags: McpFlags, options: GlobalOptions, loaded: ReturnType<typeof cliConfig>): Promise<number> {
  const { config } = loaded;
  const runtime = await openRuntime(options, warnings, loaded);
  try {
    const { serveStreamableHttp } = await import("../../mcp/server.js");
    const { defaultPerClientConcurrency } = await import("../../shared/http.js");
    const port = flags.port ?? config.http.port;
    const host = flags.host ?? config.http.host;
    const server = await listening(port, () =>
      serveStreamableHttp(runtime, {
        host,
        port,
        token: config.http.token,
        bodyLimitBytes: config.http.bodyLimitBytes,
        allowedHosts: config.http.allowedHosts,
        bodyTimeoutMs: config.http.bodyTimeoutMs,
        perClientConcurrency: config.http.perClientConcurrency ?? defaultPerClientConcurrency({ host, concurrency: config.http.concurrency }),
      }),
    );
    compileValidatorsFromNowOn();
    // Only once it listens: a busy port is then the one line said about it.
    process.stderr.write(`rag-k8s MCP (streamable HTTP) on ${server.url}\n`);
    process.stderr.write(`rag-k8s MCP target   ${runtime.target.describe}\n`);
    await untilSignal();
    await server.close();
    return 0;
  } finally {
    await runtime.close();
  }
}
