/**
 * A FIFO semaphore: at most `max` holders at once. Tiny on purpose — the one p-limit in node_modules
 * is a transitive dev dependency, and cancellation of queued waiters needs to be ours anyway.
 */
export class Limiter {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`concurrency must be an integer ≥ 1, got ${max}`);
  }

  /** Resolves when a slot is free. Rejects with `signal.reason` if the signal fires while waiting. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolveSlot, reject) => {
      const grant = (): void => {
        signal?.removeEventListener("abort", onAbort);
        this.active++;
        resolveSlot();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  release(): void {
    this.active--;
    this.waiters.shift()?.();
  }
}
