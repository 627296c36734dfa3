import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, realpathSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";

/**
 * Shared plumbing of the conformance suite: a sandbox with its own kubeconfig and scratch directory, and
 * the foreign clients' binaries (kubectl minors beside the dispatcher on PATH, the kubernetes-mcp-server
 * binary from its npm package).
 */

export interface Cluster {
  sandbox: Sandbox;
  dir: string;
  kubeconfig: string;
  /** Writes a manifest into the scratch directory and returns its path. */
  manifest(name: string, object: unknown): string;
  close(): Promise<void>;
}

export async function cluster(kubernetesMinor = 33): Promise<Cluster> {
  const sandbox = await startSandbox({ kubernetesMinor });
  const dir = await mkdtemp(join(tmpdir(), "rag-k8s-conformance-"));
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  return {
    sandbox,
    dir,
    kubeconfig,
    manifest(name, object) {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(object));
      return file;
    },
    close: async () => {
      await sandbox.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** kubectl.1.<minor> beside the kubectl dispatcher on PATH, if installed. */
export function kubectlBinary(minor: number): string | undefined {
  try {
    const onPath = execFileSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).trim();
    const sibling = join(dirname(realpathSync(onPath)), `kubectl.1.${minor}`);
    return existsSync(sibling) ? sibling : undefined;
  } catch {
    return undefined;
  }
}

/** The kubernetes-mcp-server binary its npm package installs for this platform, if installed. */
export function mcpServerBinary(): string | undefined {
  const platform = `kubernetes-mcp-server-${process.platform === "win32" ? "windows" : process.platform}-${process.arch === "x64" ? "amd64" : process.arch}`;
  try {
    const pkg = createRequire(import.meta.url).resolve(`${platform}/package.json`);
    const binary = join(dirname(pkg), "bin", platform);
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl bound to one cluster, with its own HOME and discovery cache. */
export function kubectl(binary: string, c: Cluster): { run(...args: string[]): Promise<Run>; ok(...args: string[]): Promise<string>; env: NodeJS.ProcessEnv } {
  const env = { PATH: process.env["PATH"] ?? "/usr/bin:/bin", KUBECONFIG: c.kubeconfig, KUBECACHEDIR: join(c.dir, `cache-${binary.split(".").pop() ?? ""}`), HOME: c.dir };
  const run = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(binary, args, { env, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
      });
    });
  return {
    env,
    run,
    ok: async (...args) => {
      const r = await run(...args);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
      return r.stdout;
    },
  };
}

/**
 * Starts a long-running command (a watch), runs `action` once the sandbox has seen the watch request,
 * and resolves with the output once it matches `until`; the process is killed either way.
 */
export function watchOutput(binary: string, args: string[], env: NodeJS.ProcessEnv, watching: () => boolean, action: () => Promise<unknown>, until: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let acted = false;
    const finish = (error?: Error): void => {
      clearInterval(poll);
      clearTimeout(timer);
      child.kill("SIGTERM");
      if (error) reject(error);
      else resolve(out);
    };
    const timer = setTimeout(() => finish(new Error(`watch ${args.join(" ")} did not print ${String(until)} within ${timeoutMs} ms; got:\n${out}`)), timeoutMs);
    const poll = setInterval(() => {
      if (acted || !watching()) return;
      acted = true;
      action().catch((error: unknown) => finish(error instanceof Error ? error : new Error(String(error))));
    }, 20);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (acted && until.test(out)) finish();
    });
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("error", (error) => finish(error));
  });
}
