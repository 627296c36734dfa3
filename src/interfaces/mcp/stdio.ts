import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createIdempotencyStore } from "../../approval/index.js";
import { InFlight } from "../../core/in-flight.js";
import type { ExecResponse } from "../../core/response.js";
import { connectGuarded, createMcpServer } from "./connect.js";
import type { ListedTool } from "./listing.js";
import { DeferredRuntime } from "./tools.js";
import type { ToolHost } from "./tools.js";

const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

export interface StdioOptions {
  /** Tool listing computed at build time (see listing.ts); without it the SDK converts the schemas itself. */
  readonly listing?: readonly ListedTool[] | undefined;
}

/**
 * Serves MCP over stdin/stdout until the client goes away or the process gets SIGINT/SIGTERM, then lets
 * running tool calls finish so the caller can close the runtime (drain, flush the audit log, stop a sandbox).
 *
 * With a DeferredRuntime, initialize and tools/list are answered before the runtime exists; it is built right
 * after the first tools/list has been answered (or by the first tool call), and if building it fails the
 * server stops with that error.
 */
export async function serveStdio(host: ToolHost, options: StdioOptions = {}): Promise<void> {
  const inFlight = new InFlight();
  const server = createMcpServer(host, { inFlight, idempotency: createIdempotencyStore<ExecResponse>(), client: "stdio", listing: options.listing });
  const transport = new StdioServerTransport();
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // The SDK's stdio transport never notices the client leaving; the end of stdin is that signal.
  transport.onclose = stop;
  process.stdin.once("end", stop);
  for (const signal of STOP_SIGNALS) process.once(signal, stop);
  const deferred = host instanceof DeferredRuntime ? host : undefined;
  // After the answer has been written: building the runtime must not hold up the listing the client waits for.
  const onRequest = (method: string) => {
    if (method === "tools/list") setImmediate(() => deferred?.start());
  };
  try {
    await connectGuarded(server, transport, onRequest);
    await Promise.race([stopped, deferred?.failure ?? stopped]);
    await inFlight.settled();
  } finally {
    process.stdin.off("end", stop);
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
    await server.close();
  }
}
