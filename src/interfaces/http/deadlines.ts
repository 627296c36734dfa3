/** A deadline set for `subject`; pass it to cancel(). */
export interface Deadline<T> {
  readonly at: number;
  subject: T | null;
}

/** Spent slots kept at the front of the queue before it is compacted. */
const COMPACT_AFTER = 1024;

/**
 * Deadlines that all lie the same time ahead (a server's body timeout, its request timeout) and all expire the
 * same way, for a subject each. They fall due in the order they were set, so one timer serves them all, instead
 * of a timer created and cleared for every request; setting one allocates only its entry (no closure).
 * Requests mostly finish in the order they came, so cancelled deadlines leave the front at once.
 */
export class FixedDeadlines<T> {
  /** Slots before `head` are spent and emptied, so a spent deadline is garbage at once, not when the queue is compacted. */
  private queue: (Deadline<T> | undefined)[] = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly expire: (subject: T) => void,
  ) {}

  /** Calls expire(subject) once `ms` have passed, unless cancel() is called with the returned deadline first. */
  set(subject: T): Deadline<T> {
    const deadline: Deadline<T> = { at: performance.now() + this.ms, subject };
    this.queue.push(deadline);
    if (this.timer === undefined) this.arm();
    return deadline;
  }

  /** Its subject's expiry will not happen (a no-op once it has, or for null). */
  cancel(deadline: Deadline<T> | null): void {
    if (deadline === null || deadline.subject === null) return;
    deadline.subject = null;
    this.skipSpent();
  }

  private skipSpent(): void {
    while (this.head < this.queue.length && (this.queue[this.head] as Deadline<T>).subject === null) this.queue[this.head++] = undefined;
    if (this.head >= this.queue.length) {
      // Emptied (requests mostly finish in order, so often): keep the array, drop its entries.
      this.queue.length = 0;
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
      const first = this.queue[this.head] as Deadline<T>;
      if (first.subject !== null && first.at > now) break;
      this.queue[this.head++] = undefined;
      const subject = first.subject;
      first.subject = null;
      if (subject !== null) this.expire(subject);
    }
    this.skipSpent();
    this.arm();
  }
}
