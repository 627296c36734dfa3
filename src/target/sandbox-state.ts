import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { z } from "zod";

type Env = Record<string, string | undefined>;

/**
 * Where a long-running `rag-k8s sandbox` leaves its kubeconfig and a small state file, so that later commands
 * without another target use it (and keep its state) instead of starting a fresh, empty sandbox each time.
 */
export function sandboxStateDir(env: Env = process.env): string {
  const xdg = env["XDG_STATE_HOME"];
  const base = xdg && xdg.startsWith("/") ? xdg : join(env["HOME"] || homedir(), ".local", "state");
  return join(base, "rag-k8s", "sandbox");
}

const State = z.object({ pid: z.number().int().positive(), url: z.string().url(), kubeconfig: z.string().min(1), startedAt: z.string() });
export type SandboxState = z.infer<typeof State>;

function statePath(env: Env): string {
  return join(sandboxStateDir(env), "state.json");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running long-lived sandbox, or null when none is recorded or its process has gone. */
export function runningSandbox(env: Env = process.env): SandboxState | null {
  let text: string;
  try {
    text = readFileSync(statePath(env), "utf8");
  } catch {
    return null;
  }
  let parsed: z.ZodSafeParseResult<SandboxState>;
  try {
    parsed = State.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  return parsed.success && alive(parsed.data.pid) ? parsed.data : null;
}

/** Records this process as the long-lived sandbox (atomically: a reader never sees half a file). */
export function recordSandbox(state: SandboxState, env: Env = process.env): void {
  const path = statePath(env);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, path);
}

/** Forgets the record, but only if it is still this process's (a newer sandbox may have replaced it). */
export function forgetSandbox(pid: number, env: Env = process.env): void {
  try {
    const current = State.safeParse(JSON.parse(readFileSync(statePath(env), "utf8")));
    if (current.success && current.data.pid !== pid) return;
  } catch {
    return;
  }
  rmSync(statePath(env), { force: true });
}
