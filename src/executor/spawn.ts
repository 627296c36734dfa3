import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { OutputCapture } from "./capture.js";
import type { Captured } from "./capture.js";
import { ExecAbortedError, ExecutorError } from "./errors.js";
import { redact } from "./redact.js";
import { detectKind, MARK, shapeOutput } from "./shape/index.js";
import type { Omitted, OutputKind } from "./shape/index.js";
import { LineStream } from "./stream.js";
import type { ExecResult } from "./types.js";

export interface SpawnSettings {
  env: Record<string, string>;
  timeoutMs: number;
  killGraceMs: number;
  /** The stdout budget (Infinity: no shaping). */
  budgetChars: number;
  /** Raw stdout characters held while running: the first and the last half. */
  windowChars: number;
  maxStderrChars: number;
  redactOutput: boolean;
  signal?: AbortSignal;
  /** Receives stdout as it arrives (see RunOverrides.onOutput). */
  onOutput?: (chunk: string) => void;
  /** Called once the OS has created the process. */
  onSpawn: () => void;
}

/**
 * Signals a whole process group. It may already be gone (ESRCH); any other failure is ignored too,
 * because this runs from timers where a throw would take the whole server down.
 */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Nothing left to signal, or nothing more we can do.
  }
}

/**
 * Runs one program without a shell in its own process group, so a timeout or cancel reaches every
 * process it started: SIGTERM first, SIGKILL after the grace period.
 */
export function spawnCollect(file: string, args: readonly string[], s: SpawnSettings): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, { shell: false, detached: true, stdio: ["ignore", "pipe", "pipe"], env: s.env });
    } catch (error) {
      // Synchronous failures (E2BIG for an oversized argv, EINVAL) mean nothing was started.
      reject(new ExecutorError(`could not start ${file}: ${(error as Error).message}`, { cause: error }));
      return;
    }
    const pid = child.pid;
    if (pid !== undefined) s.onSpawn();

    const out = new OutputCapture(Math.ceil(s.windowChars / 2), Math.floor(s.windowChars / 2));
    const err = new OutputCapture(s.maxStderrChars);
    const live = s.onOutput ? new LineStream(s.onOutput, s.redactOutput) : null;
    child.stdout?.on("data", (chunk: Buffer) => {
      out.push(chunk);
      live?.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => err.push(chunk));

    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      if (pid === undefined || killTimer !== undefined) return;
      killGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), s.killGraceMs);
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, s.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    s.signal?.addEventListener("abort", onAbort, { once: true });

    const cleanup = (): void => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      s.signal?.removeEventListener("abort", onAbort);
    };

    child.once("error", (error) => {
      // With no pid the spawn itself failed and no "close" will follow.
      if (pid !== undefined) return;
      cleanup();
      reject(new ExecutorError(`could not start ${file}: ${error.message}`, { cause: error }));
    });

    child.once("close", (code, signal) => {
      // The command's own time, spawn to close; what rag-k8s does with its output comes after.
      const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
      cleanup();
      // Stragglers that ignored SIGTERM and outlived their parent still share its group.
      if ((timedOut || aborted) && pid !== undefined) killGroup(pid, "SIGKILL");
      live?.finish();
      const o = out.finish();
      const e = err.finish();
      const stdout = finalStdout(o, [file, ...args], s);
      const result: ExecResult = {
        code,
        signal,
        stdout: stdout.text,
        stderr: s.redactOutput ? redact(e.head) : e.head,
        truncated: { stdout: stdout.truncated, stderr: e.truncated },
        stdoutKind: stdout.kind,
        stdoutOmitted: stdout.omitted,
        timedOut,
        durationMs,
        stdoutBytes: o.bytes,
        stderrBytes: e.bytes,
        stdoutDigest: o.digest,
        stderrDigest: e.digest,
      };
      if (aborted && !timedOut) reject(new ExecAbortedError(result));
      else resolve(result);
    });
  });
}

export interface FinalStdout {
  text: string;
  kind: OutputKind;
  truncated: boolean;
  omitted: Omitted | null;
}

/**
 * Joins what the capture kept at whole lines, masks secrets (before any cut, so no cut can split a secret
 * out of reach of the patterns), then shapes it to the budget. Without a budget the skipped middle is marked.
 */
export function finalStdout(captured: Captured, argv: readonly string[], s: Pick<SpawnSettings, "budgetChars" | "redactOutput">): FinalStdout {
  let { head, tail } = captured;
  let skipped = captured.skippedChars;
  if (skipped > 0) {
    // Partial lines either side of the gap would parse as garbage rows; drop them and count them.
    const headEnd = head.lastIndexOf("\n") + 1;
    const tailStart = tail.indexOf("\n") + 1;
    skipped += head.length - headEnd + tailStart;
    head = head.slice(0, headEnd);
    tail = tail.slice(tailStart);
  }
  const mask = (text: string): string => (s.redactOutput ? redact(text) : text);
  if (s.budgetChars === Number.POSITIVE_INFINITY) {
    const gap = skipped > 0 ? `${MARK}${skipped.toLocaleString("en-US")} characters in the middle of the output were not kept\n` : "";
    return { text: mask(head + gap + tail), kind: detectKind(head, argv), truncated: skipped > 0, omitted: skipped > 0 ? { unit: "characters", count: skipped, of: skipped + head.length + tail.length } : null };
  }
  return shapeOutput(mask(head + tail), { budgetChars: s.budgetChars, argv, uncapturedChars: skipped });
}
