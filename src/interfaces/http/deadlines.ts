interface Deadline {
  readonly at: number;
  expire: (() => void) | null;
}

/** Spent entries kept at the front of the queue before it is compacted. */
const COMPACT_AFTER = 4096;

/**
 * Deadlines that all lie the same time ahead (a server's body timeout, its request timeout). They fall due in
 * the order they were set, so one timer serves them all, instead of a timer created and cleared for every
 * request. Requests mostly finish in the order they came, so cancelled deadlines leave the front at once.
 */
export class FixedDeadlines {
  private queue: Deadline[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {}

  /** Calls `expire` once `ms` have passed, unless the returned cancel function is called first. */
  set(expire: () => void): () => void {
    const deadline: Deadline = { at: performance.now() + this.ms, expire };
    this.queue.push(deadline);
    if (this.timer === undefined) this.arm();
    return () => {
      deadline.expire = null;
      this.skipSpent();
    };
  }

  private skipSpent(): void {
    while (this.head < this.queue.length && (this.queue[this.head] as Deadline).expire === null) this.head++;
    if (this.head >= this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }

  private arm(): void {
    const next = this.queue[this.head];
    if (next === undefined) return;
    // Unref'd: a server's open sockets keep the process alive; a deadline alone must not.
    this.timer = setTimeout(() => this.fire(), Math.max(0, next.at - performance.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = performance.now();
    while (this.head < this.queue.length) {
      const first = this.queue[this.head] as Deadline;
      if (first.expire !== null && first.at > now) break;
      this.head++;
      const expire = first.expire;
      first.expire = null;
      expire?.();
    }
    this.skipSpent();
    this.arm();
  }
}
