import { RagK8sError } from "../../../core/errors.js";
import { serve } from "../../http/serve.js";
import { cliConfig, openRuntime } from "../context.js";
import type { GlobalOptions } from "../options.js";

export interface ServeFlags {
  readonly host?: string;
  readonly port?: number;
  readonly preload?: boolean;
}

/** A port someone else holds is an environment problem with an obvious fix, not a crash. */
async function listening<T>(port: number, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new RagK8sError("environment", `port ${port} is in use: pass --port or stop the other process`);
    if (code === "EACCES") throw new RagK8sError("environment", `port ${port} needs privileges to bind: pass --port with a port above 1023`);
    throw error;
  }
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}

/** `rag-k8s serve`: the HTTP API until SIGTERM/SIGINT, then a graceful shutdown. */
export async function runServe(flags: ServeFlags, options: GlobalOptions): Promise<number> {
  const { config, sources } = cliConfig(options);
  const http = { ...config.http, ...(flags.host ? { host: flags.host } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}) };
  const server = await listening(http.port, () => serve({ config: { ...config, http }, sources, sandbox: options.sandbox ? "always" : "auto", preload: flags.preload ?? false }));
  process.stderr.write(`rag-k8s listening on ${server.url}\ntarget   ${server.target}\n`);
  const signal = await untilSignal();
  process.stderr.write(`${signal}: finishing in-flight operations\n`);
  await server.close();
  return 0;
}

/** `rag-k8s mcp`: MCP over stdio (for Claude Code and other agents), or streamable HTTP with --http. */
export async function runMcp(flags: ServeFlags & { http?: boolean }, options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const runtime = await openRuntime(options, { onWarning: (message: string) => process.stderr.write(`warning: ${message}\n`) });
  try {
    // stdout is the MCP channel; people read stderr.
    const announceTarget = () => process.stderr.write(`rag-k8s MCP target   ${runtime.target.describe}\n`);
    const mcp = await import("../../mcp/server.js");
    if (!flags.http) {
      announceTarget();
      await mcp.serveStdio(runtime);
      return 0;
    }
    const port = flags.port ?? config.http.port;
    const server = await listening(port, () =>
      mcp.serveStreamableHttp(runtime, {
        host: flags.host ?? config.http.host,
        port,
        token: config.http.token,
        bodyLimitBytes: config.http.bodyLimitBytes,
        allowedHosts: config.http.allowedHosts,
        bodyTimeoutMs: config.http.bodyTimeoutMs,
        perClientConcurrency: config.http.perClientConcurrency,
      }),
    );
    // Only once it listens: a busy port is then the one line said about it.
    process.stderr.write(`rag-k8s MCP (streamable HTTP) on ${server.url}\n`);
    announceTarget();
    await untilSignal();
    await server.close();
    return 0;
  } finally {
    await runtime.close();
  }
}
