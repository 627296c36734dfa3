import { execFile, execFileSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox, SandboxOptions } from "../../src/sandbox/index.js";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A sandbox with its own kubeconfig and kubectl discovery cache, for one test. */
export interface Harness {
  sandbox: Sandbox;
  kubectl(...args: string[]): Promise<Run>;
  /** Runs kubectl and fails with its output unless it exits 0. */
  ok(...args: string[]): Promise<string>;
  close(): Promise<void>;
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * The binary the kubectl dispatcher on PATH would pick for a server reporting `minor` (the read tests
 * prove the dispatcher itself picks it). Running it directly halves the cost of each call: the
 * dispatcher is a second process that asks the server for /version first.
 */
export function kubectlFor(minor: number): string {
  const onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
  const sibling = join(dirname(realpathSync(onPath)), `kubectl.1.${minor}`);
  return existsSync(sibling) ? sibling : "kubectl";
}

export async function harness(options: SandboxOptions & { dispatcher?: boolean } = {}): Promise<Harness> {
  const sandbox = await startSandbox(options);
  const dir = await mkdtemp(join(tmpdir(), "rag-k8s-sandbox-test-"));
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  // A fresh discovery cache per harness: kubectl caches per host:port, and ports are reused.
  const env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, "cache"), HOME: dir };
  const binary = options.dispatcher ? "kubectl" : kubectlFor(options.kubernetesMinor ?? 31);
  const kubectl = (...args: string[]): Promise<Run> => run(binary, args, env);
  return {
    sandbox,
    kubectl,
    ok: async (...args) => {
      const r = await kubectl(...args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    },
    close: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A raw https request to the sandbox, trusting its certificate. */
export function fetchRaw(sandbox: Sandbox, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    // Node sends DELETE bodies without chunked encoding, so the length must be explicit.
    const headers = { ...init.headers, ...(init.body !== undefined ? { "Content-Length": String(Buffer.byteLength(init.body)) } : {}) };
    const req = request(new URL(path, sandbox.url), { method: init.method ?? "GET", headers, ...(sandbox.ca ? { ca: sandbox.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** A raw https GET whose body stays bytes (protobuf answers), with the response's Content-Type. */
export function fetchBytes(sandbox: Sandbox, path: string, headers: Record<string, string>): Promise<{ status: number; contentType: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sandbox.url), { headers, ...(sandbox.ca ? { ca: sandbox.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export const bearer = (sandbox: Sandbox): Record<string, string> => ({ Authorization: `Bearer ${sandbox.token ?? ""}` });

/** Spec fields of a stored object, loosely typed for assertions. */
export function field(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
