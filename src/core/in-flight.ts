/**
 * Operations still running, so a server can let them finish (and be audited) before it closes. A count, not a set
 * of promises: a hot path (HTTP) starts and ends one per request, and a set churned a hash table for nothing but
 * `settled` to wait on.
 */
export class InFlight {
  private running = 0;
  private waiting: (() => void)[] = [];

  /** Counts `work` until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.start();
    const end = () => this.end();
    work.then(end, end);
    return work;
  }

  start(): void {
    this.running++;
  }

  /** One started operation settled (call exactly once per start()). */
  end(): void {
    this.running--;
    if (this.running === 0 && this.waiting.length > 0) for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves once nothing is running (at once when nothing is), including what started while it waited. */
  settled(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}
