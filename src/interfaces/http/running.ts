/**
 * How many operations are running, and a promise for the moment none is. A count, not a set of promises:
 * adding and deleting one entry per request churned a hash table for nothing but close() to wait on.
 */
export class RunningCount {
  private running = 0;
  private waiting: (() => void)[] = [];

  start(): void {
    this.running++;
  }

  /** One started operation settled (call exactly once per start()). */
  end(): void {
    this.running--;
    if (this.running === 0 && this.waiting.length > 0) for (const wake of this.waiting.splice(0)) wake();
  }

  /** Resolves once nothing is running (at once when nothing is). */
  idle(): Promise<void> {
    return this.running === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }
}
