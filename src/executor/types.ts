import type { Omitted, OutputKind } from "./shape/index.js";

export interface ExecutorOptions {
  /**
   * Allowed programs: name used as argv[0] → absolute path, relative path, or a name looked up on
   * env.PATH. Shells and program launchers (sh, bash, env, sudo …) are refused with ForbiddenBinaryError.
   */
  binaries: Record<string, string>;
  /** The ONLY environment the child receives (KUBECONFIG, HOME, PATH, KUBECACHEDIR …). */
  env: Record<string, string>;
  /** Most processes running at once; further requests wait in FIFO order. */
  concurrency: number;
  /** Per-command wall-clock limit, counted from spawn (not from queueing). Default 15000. */
  timeoutMs?: number;
  /** Time between SIGTERM and SIGKILL to the process group on timeout or cancel. Default 2000. */
  killGraceMs?: number;
  /**
   * Budget for stdout in the result, in characters (UTF-16 code units), markers included. Output over it is
   * shaped after the process ends (see `shapeOutput`: events keep Warnings and the newest, logs their tail,
   * describe its Events, tables their problem rows) and every cut is marked in the text. Infinity keeps it
   * all, up to the capture window. Default 4000.
   */
  maxStdoutChars?: number;
  /**
   * Characters of raw stdout held while the process runs: its first and last halves. Shaping picks from
   * these; the digest and byte count still cover every byte. Default 512000.
   */
  stdoutWindowChars?: number;
  /** Characters of stderr kept in the result. Default 2000. */
  maxStderrChars?: number;
  /** Mask secret-looking values in the kept stdout/stderr with `redact`. Default true. */
  redactOutput?: boolean;
}

export interface RunOverrides {
  timeoutMs?: number;
  /** This run's stdout budget instead of maxStdoutChars; Infinity for the whole output (a person at a terminal). */
  budgetChars?: number;
  /** This run's capture window instead of stdoutWindowChars (e.g. a large JSON listing that must arrive whole). */
  windowChars?: number;
  signal?: AbortSignal;
  /**
   * Called with stdout as it arrives, in whole lines, redacted (a person watching `rollout status`, `drain`
   * or logs on a terminal). The result is unchanged: shaped and capped from the capture as without it.
   */
  onOutput?: (chunk: string) => void;
}

export interface ExecResult {
  /** Exit code, or null when the process ended by a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** Whether anything was left out: stdout cut to its budget or window, stderr cut to maxStderrChars. */
  truncated: { stdout: boolean; stderr: boolean };
  /** The kind of stdout as shaping read it, and what a cut left out (null when nothing was). */
  stdoutKind?: OutputKind;
  stdoutOmitted?: Omitted | null;
  timedOut: boolean;
  /** Spawn until its output pipes closed: the process's own time (redacting the output comes after). */
  durationMs: number;
  stdoutBytes: number;
  stderrBytes: number;
  /** "sha256:<hex>" of the full, untruncated, unredacted output. */
  stdoutDigest: string;
  stderrDigest: string;
  /**
   * Which executor produced the result: "api" when the API executor answered in process, "kubectl" when a
   * process ran. Absent from executors that only ever spawn (the kubectl executor).
   */
  executor?: "api" | "kubectl";
}

export interface Executor {
  run(argv: readonly string[], overrides?: RunOverrides): Promise<ExecResult>;
  /** Processes actually spawned since creation (denied or cancelled-while-queued requests spawn none). */
  readonly spawnCount: number;
  /** Requests accepted and not yet settled (queued + running). */
  readonly inFlight: number;
  /** Resolves once every request accepted so far has settled. */
  drain(): Promise<void>;
  /** Whether `name` is a configured binary that resolves to an executable file right now. */
  available(name: string): boolean;
}
