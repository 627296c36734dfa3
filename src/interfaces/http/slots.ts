/**
 * Counts operations in flight for the HTTP concurrency limit. A request holds its slot until its response is
 * gone (sent or the client hung up) and every operation it started has settled, so clients that time out or
 * disconnect cannot stack up unbounded background work.
 */
export class Slots<K extends object> {
  private inUse = 0;
  private readonly holds = new WeakMap<K, number>();

  constructor(private readonly limit: number) {}

  /** Takes a slot for `key` (released by the matching release()); false when all slots are taken. */
  tryAcquire(key: K): boolean {
    if (this.inUse >= this.limit) return false;
    this.inUse++;
    this.holds.set(key, 1);
    return true;
  }

  /** Keeps `key`'s slot until `work` settles; a no-op for keys without a slot. */
  holdUntil(key: K, work: Promise<unknown>): void {
    const count = this.holds.get(key);
    if (count === undefined) return;
    this.holds.set(key, count + 1);
    const release = () => this.release(key);
    work.then(release, release);
  }

  release(key: K): void {
    const count = this.holds.get(key);
    if (count === undefined) return;
    if (count > 1) {
      this.holds.set(key, count - 1);
      return;
    }
    this.holds.delete(key);
    this.inUse--;
  }
}
