import { serve } from "../../http/serve.js";
import { cliConfig } from "../context.js";
import type { GlobalOptions } from "../options.js";
import { compileValidatorsFromNowOn } from "../validators.js";
import { listening, untilSignal } from "./lifecycle.js";

export interface ServeFlags {
  readonly host?: string;
  readonly port?: number;
  readonly preload?: boolean;
}

/** `rag-k8s serve`: the HTTP API until SIGTERM/SIGINT, then a graceful shutdown. */
export async function runServe(flags: ServeFlags, options: GlobalOptions): Promise<number> {
  const { config, sources } = cliConfig(options);
  const http = { ...config.http, ...(flags.host ? { host: flags.host } : {}), ...(flags.port !== undefined ? { port: flags.port } : {}) };
  const server = await listening(http.port, () => serve({ config: { ...config, http }, sources, sandbox: options.sandbox ? "always" : "auto", preload: flags.preload ?? false }));
  compileValidatorsFromNowOn();
  process.stderr.write(`rag-k8s listening on ${server.url}\ntarget   ${server.target}\n`);
  const signal = await untilSignal();
  process.stderr.write(`${signal}: finishing in-flight operations\n`);
  await server.close();
  return 0;
}
