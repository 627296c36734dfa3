import { InvalidArgvError } from "./errors.js";

/** What every executor checks before it accepts argv: a non-empty list of strings without NUL bytes. */
export function checkArgv(argv: readonly string[]): void {
  if (!Array.isArray(argv) || argv.length === 0) throw new InvalidArgvError("argv must be a non-empty array of strings");
  for (const [i, arg] of argv.entries()) {
    if (typeof arg !== "string") throw new InvalidArgvError(`argv[${i}] is not a string`);
    if (arg.includes("\0")) throw new InvalidArgvError(`argv[${i}] contains a NUL byte`);
  }
}

/** Requests an executor has accepted and not yet settled: its `inFlight` count and what `drain` waits for. */
export class Accepted {
  private readonly pending = new Set<Promise<unknown>>();

  /** Checks argv, then starts and tracks the request; bad argv is a rejected promise, never a throw. */
  run<T>(argv: readonly string[], start: () => Promise<T>): Promise<T> {
    try {
      checkArgv(argv);
    } catch (error) {
      return Promise.reject(error);
    }
    const task = start();
    // Registered before the caller can await `task`, so inFlight is already lower when they resume.
    const forget = (): void => void this.pending.delete(tracked);
    const tracked: Promise<void> = task.then(forget, forget);
    this.pending.add(tracked);
    return task;
  }

  get size(): number {
    return this.pending.size;
  }

  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.all(this.pending);
  }
}
