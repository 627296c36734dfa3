import { connect } from "node:net";
import type { Sandbox } from "../../../src/sandbox/index.js";

export { startCluster } from "../../core/harness.js";
export type { ClusterFixture } from "../../core/harness.js";

export interface JsonReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonReply> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<JsonReply> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** Resolves once the sandbox has received a request matching `match` (the request may still be delayed there). */
export async function untilRequest(sandbox: Sandbox, match: (r: Sandbox["requests"][number]) => boolean, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!sandbox.requests.some(match)) {
    if (Date.now() > deadline) throw new Error(`no matching request reached the sandbox within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The error code of a fresh TCP connection to the url's port, or "connected". */
export function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

export const restartWeb = { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } as const;
export const isRestartPatch = (r: Sandbox["requests"][number]) => r.method === "PATCH" && r.path.endsWith("/deployments/web");
