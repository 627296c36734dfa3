import { spawn } from "node:child_process";

export interface SpawnTiming {
  /** Spawn to the first byte on stdout (the printed plan); null when the process printed nothing. */
  readonly firstOutputMs: number | null;
  /** Spawn to exit, stdio closed. */
  readonly exitMs: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a program (argv, never a shell) and times it from just before spawn to its first output and to its exit.
 * `detached` starts it in its own session and process group, as rag-k8s's executor does.
 */
export function timeSpawn(file: string, args: readonly string[], env: NodeJS.ProcessEnv, options: { detached?: boolean } = {}): Promise<SpawnTiming> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { env, stdio: ["ignore", "pipe", "pipe"], detached: options.detached ?? false });
    let firstOutputMs: number | null = null;
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      firstOutputMs ??= performance.now() - start;
      out.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({
        firstOutputMs,
        exitMs: performance.now() - start,
        code,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      });
    });
  });
}
