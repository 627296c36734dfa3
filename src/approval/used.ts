import { mkdirSync, openSync, closeSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { ApprovalStoreError, describeError } from "./errors.js";

/** Forget expired entries at most this often (they are useless once their token has expired anyway). */
const PRUNE_INTERVAL_MS = 60_000;

export type Claim = "claimed" | "used";

/**
 * Which tokens have been redeemed, so each is redeemed once. In memory always; with a folder also across
 * processes, for the CLI's two steps (the plan and the approval run in separate processes, and a token the
 * HTTP server issued must not be redeemable again from a terminal). A claim there is one file created
 * with O_EXCL, named after the token's nonce and expiry: the kernel lets exactly one creator succeed, so
 * concurrent redeemers need no lock, and pruning is a readdir that deletes names past their expiry.
 */
export class UsedTokens {
  private readonly memory = new Map<string, number>();
  private lastPruneMs = -Infinity;

  constructor(
    private readonly dir: string | null,
    private readonly now: () => number,
  ) {}

  /** `nonce` is the token's validated base64url nonce; `expiresAt` its expiry in ms. */
  claim(nonce: string, expiresAt: number): Claim {
    this.pruneNowAndThen();
    if (this.memory.has(nonce)) return "used";
    if (this.dir !== null && !this.claimFile(nonce, expiresAt)) {
      this.memory.set(nonce, expiresAt);
      return "used";
    }
    this.memory.set(nonce, expiresAt);
    return "claimed";
  }

  private claimFile(nonce: string, expiresAt: number): boolean {
    const dir = this.dir as string;
    const marker = join(dir, `${nonce}.${expiresAt.toString(36)}`);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new ApprovalStoreError(dir, describeError(error), { cause: error });
    }
    try {
      closeSync(openSync(marker, "wx", 0o600));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw new ApprovalStoreError(dir, describeError(error), { cause: error });
    }
  }

  private pruneNowAndThen(): void {
    const now = this.now();
    if (now - this.lastPruneMs < PRUNE_INTERVAL_MS) return;
    this.lastPruneMs = now;
    for (const [nonce, expiresAt] of this.memory) if (expiresAt < now) this.memory.delete(nonce);
    if (this.dir === null) return;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return; // Not created yet, or unreadable: the claim that follows reports a real problem.
    }
    for (const name of names) {
      const match = /^[A-Za-z0-9_-]{22}\.([0-9a-z]{1,11})$/.exec(name);
      if (!match || parseInt(match[1] as string, 36) >= now) continue;
      try {
        unlinkSync(join(this.dir, name));
      } catch {
        // Another process pruned it first.
      }
    }
  }
}
