/** A request as the slots see it: how many holds it has on its slot (0: it has none). */
export interface SlotHolder {
  slotHolds: number;
}

/**
 * Counts operations in flight for the HTTP concurrency limit. A request holds its slot until its response is
 * gone (sent or the client hung up) and every operation it started has settled, so clients that time out or
 * disconnect cannot stack up unbounded background work. The holds are counted on the request itself.
 */
export class Slots {
  private inUse = 0;

  constructor(private readonly limit: number) {}

  /** Takes a slot for `holder`, held once (by its response); false when all slots are taken. */
  tryAcquire(holder: SlotHolder): boolean {
    if (this.inUse >= this.limit) return false;
    this.inUse++;
    holder.slotHolds = 1;
    return true;
  }

  /** One more hold on `holder`'s slot (an operation it started), released by its own release(); a no-op without a slot. */
  retain(holder: SlotHolder): void {
    if (holder.slotHolds > 0) holder.slotHolds++;
  }

  /** Gives back one hold; the slot is free once the last one is given back. A no-op without a slot. */
  release(holder: SlotHolder): void {
    if (holder.slotHolds === 0) return;
    holder.slotHolds--;
    if (holder.slotHolds === 0) this.inUse--;
  }
}
