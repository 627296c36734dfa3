import { Accepted } from "./accepted.js";
import { ExecAbortedError, UnknownBinaryError } from "./errors.js";
import { Limiter } from "./limiter.js";
import { createBinaryResolver } from "./resolve.js";
import { spawnCollect } from "./spawn.js";
import type { ExecResult, Executor, ExecutorOptions, RunOverrides } from "./types.js";

export const EXECUTOR_DEFAULTS = {
  timeoutMs: 15_000,
  killGraceMs: 2_000,
  maxStdoutChars: 4_000,
  maxStderrChars: 2_000,
  stdoutWindowChars: 512_000,
} as const;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  return value;
}

/** A budget is a positive integer, or Infinity for no budget at all. */
function budget(name: string, value: number): number {
  return value === Number.POSITIVE_INFINITY ? value : positiveInt(name, value);
}

/** Creates a shell-free runner limited to the configured programs. */
export function createExecutor(opts: ExecutorOptions): Executor {
  const binaries = { ...opts.binaries };
  const allowed = Object.keys(binaries);
  const env = { ...opts.env };
  const timeoutMs = positiveInt("timeoutMs", opts.timeoutMs ?? EXECUTOR_DEFAULTS.timeoutMs);
  const killGraceMs = positiveInt("killGraceMs", opts.killGraceMs ?? EXECUTOR_DEFAULTS.killGraceMs);
  const maxStdoutChars = budget("maxStdoutChars", opts.maxStdoutChars ?? EXECUTOR_DEFAULTS.maxStdoutChars);
  const stdoutWindowChars = positiveInt("stdoutWindowChars", opts.stdoutWindowChars ?? EXECUTOR_DEFAULTS.stdoutWindowChars);
  const maxStderrChars = positiveInt("maxStderrChars", opts.maxStderrChars ?? EXECUTOR_DEFAULTS.maxStderrChars);
  const redactOutput = opts.redactOutput ?? true;
  const limiter = new Limiter(opts.concurrency);
  // The child's PATH decides which kubectl it would find, so resolve against that, not ours.
  const resolver = createBinaryResolver(binaries, env.PATH ?? process.env.PATH ?? "");
  const accepted = new Accepted();
  let spawnCount = 0;

  async function execute(argv: readonly string[], overrides: RunOverrides): Promise<ExecResult> {
    const [name = ""] = argv;
    if (!Object.hasOwn(binaries, name)) throw new UnknownBinaryError(name, allowed);
    const runTimeoutMs = positiveInt("timeoutMs", overrides.timeoutMs ?? timeoutMs);
    const budgetChars = budget("budgetChars", overrides.budgetChars ?? maxStdoutChars);
    const windowChars = positiveInt("windowChars", overrides.windowChars ?? stdoutWindowChars);
    const file = resolver.resolve(name);
    const signal = overrides.signal;
    try {
      await limiter.acquire(signal);
    } catch {
      throw new ExecAbortedError();
    }
    try {
      return await spawnCollect(file, argv.slice(1), {
        env,
        timeoutMs: runTimeoutMs,
        killGraceMs,
        budgetChars,
        windowChars,
        maxStderrChars,
        redactOutput,
        ...(signal ? { signal } : {}),
        ...(overrides.onOutput ? { onOutput: overrides.onOutput } : {}),
        onSpawn: () => void spawnCount++,
      });
    } finally {
      limiter.release();
    }
  }

  return {
    run: (argv, overrides = {}) => accepted.run(argv, () => execute(argv, overrides)),
    get spawnCount() {
      return spawnCount;
    },
    get inFlight() {
      return accepted.size;
    },
    available(name) {
      return Object.hasOwn(binaries, name) && resolver.available(name);
    },
    drain: () => accepted.drained(),
  };
}
