import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:net";
import { loadConfig } from "../../../src/config/index.js";
import type { Config, DeepPartial } from "../../../src/config/index.js";
import { startSandbox } from "../../../src/sandbox/index.js";
import type { Sandbox } from "../../../src/sandbox/index.js";

export interface ClusterFixture {
  readonly sandbox: Sandbox;
  readonly dir: string;
  readonly kubeconfig: string;
  /** The environment a service started by a test gives kubectl: its own HOME and discovery cache. */
  readonly env: NodeJS.ProcessEnv;
  /** A Config pointed at the sandbox through the kubeconfig, with its audit log in the temp folder. */
  config(overrides?: DeepPartial<Config>): Config;
  auditPath(name: string): string;
  close(): Promise<void>;
}

/** A sandbox cluster with a kubeconfig in a temp folder, as a user with a real cluster would have. */
export async function startCluster(): Promise<ClusterFixture> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-http-"));
  const sandbox = await startSandbox();
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  const env = { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECACHEDIR: join(dir, "kube-cache") };
  const auditPath = (name: string) => join(dir, "audit", `${name}.jsonl`);
  return {
    sandbox,
    dir,
    kubeconfig,
    env,
    auditPath,
    config(overrides = {}) {
      return loadConfig({
        cwd: dir,
        env,
        overrides: {
          logLevel: "silent",
          ...overrides,
          kube: { kubeconfig, ...overrides.kube },
          audit: { path: auditPath("audit"), ...overrides.audit },
          http: { port: 0, ...overrides.http },
        },
      }).config;
    },
    async close() {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
