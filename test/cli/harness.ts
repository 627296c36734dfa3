import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const MAIN = join(ROOT, "src", "interfaces", "cli", "main.ts");
/** Registers a module hook that makes one package look uninstalled (its name in HIDE_PACKAGE). */
export const HIDE_PACKAGE_HOOK = join(ROOT, "test", "cli", "hooks", "hide-package.mjs");

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh HOME (no kubeconfig, no user config), its own audit log and kubectl cache; removed by `dispose`. */
export function freshHome(prefix: string): { home: string; env: (extra?: Record<string, string>) => NodeJS.ProcessEnv; dispose: () => void } {
  const home = mkdtempSync(join(tmpdir(), `rag-k8s-${prefix}-`));
  return {
    home,
    env: (extra = {}) => ({
      PATH: process.env["PATH"] ?? "",
      HOME: home,
      RAGK8S_AUDIT_PATH: join(home, "audit.jsonl"),
      KUBECACHEDIR: join(home, "kube-cache"),
      NO_COLOR: "1",
      ...extra,
    }),
    dispose: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** Runs a node program to completion with stdin closed (never a terminal). */
export function runNode(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function cli(args: readonly string[], env: NodeJS.ProcessEnv, preload: readonly string[] = []): Promise<Run> {
  return runNode(["--import", "tsx", ...preload.flatMap((p) => ["--import", p]), MAIN, ...args], env);
}

export function expectExit(run: Run, code: number): void {
  assert.equal(run.code, code, `expected exit ${code}, got ${run.code}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
}

/** One line on stderr, `rag-k8s: …`, and no stack trace. */
export function expectOneLineError(run: Run, pattern: RegExp): void {
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${run.stderr}`);
  assert.match(lines[0] ?? "", /^rag-k8s: /);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(run.stderr, /\n\s+at /);
}
