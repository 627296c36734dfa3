import { createHash } from "node:crypto";
import { z } from "zod";

/** The Idempotency-Key header (or MCP argument): 1–255 visible ASCII characters, as HTTP header values allow. */
export const IdempotencyKeySchema = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, "must be visible ASCII characters (no spaces or control characters)");

export interface IdempotencyId {
  /** The client's Idempotency-Key. */
  readonly key: string;
  /** Who sent it (e.g. the bearer token's identity, else the remote address): keys of different clients never meet. */
  readonly client: string;
  /** requestDigest of the request: the same key with another request is a conflict, not a replay. */
  readonly requestDigest: string;
}

export type IdempotentOutcome<T> =
  /** This call ran the work. */
  | { readonly kind: "first"; readonly value: T }
  /** The answer of the first call with this key and request (waited for if it was still running). */
  | { readonly kind: "replayed"; readonly value: T }
  /** The key was used with a different request. */
  | { readonly kind: "conflict"; readonly message: string }
  /** Too many writes are in flight to remember another one; retry later. */
  | { readonly kind: "busy"; readonly message: string };

export interface IdempotencyStore<T> {
  /**
   * Runs `work` unless the same client already sent the same key: then answers with the first run's value
   * (waiting for it while it runs), or with a conflict when the request differs. A run that throws is not
   * remembered (it did not answer, so a retry runs again); calls waiting on it get the same exception.
   */
  run(id: IdempotencyId, work: () => Promise<T>): Promise<IdempotentOutcome<T>>;
  /** Remembered answers and runs in flight. */
  readonly size: number;
}

export interface IdempotencyStoreOptions<T> {
  /** How long a finished answer is remembered (default 24 hours). */
  readonly ttlMs?: number;
  /** Finished answers remembered at most; the oldest go first (default 10,000). Also caps runs in flight. */
  readonly maxEntries?: number;
  /** Total weight of remembered answers; the oldest go first (default 64 MiB). */
  readonly maxBytes?: number;
  /** An answer's weight in bytes (default: its JSON length). */
  readonly weigh?: (value: T) => number;
  readonly now?: () => number;
}

interface Finished<T> {
  readonly digest: string;
  readonly value: T;
  readonly weight: number;
  readonly expiresAt: number;
}
interface Running<T> {
  readonly digest: string;
  readonly answer: Promise<T>;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? "");
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => [k, canonical(record[k])]),
  );
}

/** sha256 of the request's JSON with object keys sorted: the same request in another key order is the same request. */
export function requestDigest(request: unknown): string {
  return createHash("sha256").update(JSON.stringify(canonical(request)) ?? "undefined").digest("hex");
}

/**
 * Remembers the answers of writes by (client, Idempotency-Key) so a retried write (a client that gave up
 * after a gateway timeout while the operation kept running) gets the first run's answer instead of running
 * it twice. In memory, bounded by count and bytes: one process answers the HTTP or MCP face.
 */
export function createIdempotencyStore<T>(options: IdempotencyStoreOptions<T> = {}): IdempotencyStore<T> {
  const ttlMs = options.ttlMs ?? 24 * 3_600_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  for (const [name, value] of [["ttlMs", ttlMs], ["maxEntries", maxEntries], ["maxBytes", maxBytes]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be an integer ≥ 1, got ${value}`);
  }
  const weigh = options.weigh ?? jsonBytes;
  const now = options.now ?? Date.now;
  // Map order is insertion order: finished answers oldest first, for expiry and eviction from the front.
  const finished = new Map<string, Finished<T>>();
  const running = new Map<string, Running<T>>();
  let bytes = 0;

  const forget = (slot: string): void => {
    const entry = finished.get(slot);
    if (!entry) return;
    bytes -= entry.weight;
    finished.delete(slot);
  };
  const sweep = (): void => {
    const at = now();
    for (const [slot, entry] of finished) {
      if (entry.expiresAt > at) break;
      forget(slot);
    }
  };
  const remember = (slot: string, digest: string, value: T): void => {
    const weight = weigh(value);
    finished.set(slot, { digest, value, weight, expiresAt: now() + ttlMs });
    bytes += weight;
    for (const [oldest] of finished) {
      if (finished.size <= maxEntries && bytes <= maxBytes) break;
      if (oldest === slot) break; // The newest answer is always kept, even alone over the byte budget.
      forget(oldest);
    }
  };
  const conflict = (id: IdempotencyId): IdempotentOutcome<T> => ({
    kind: "conflict",
    message: `Idempotency-Key "${id.key}" was already used with a different request; use a new key for a new request`,
  });

  return {
    async run(id, work) {
      sweep();
      const slot = JSON.stringify([id.client, id.key]);
      const done = finished.get(slot);
      if (done) return done.digest === id.requestDigest ? { kind: "replayed", value: done.value } : conflict(id);
      const inFlight = running.get(slot);
      if (inFlight) return inFlight.digest === id.requestDigest ? { kind: "replayed", value: await inFlight.answer } : conflict(id);
      if (running.size >= maxEntries) return { kind: "busy", message: `${running.size} writes with an Idempotency-Key are in flight; retry later` };
      const answer = work();
      running.set(slot, { digest: id.requestDigest, answer });
      try {
        const value = await answer;
        remember(slot, id.requestDigest, value);
        return { kind: "first", value };
      } finally {
        running.delete(slot);
      }
    },
    get size() {
      return finished.size + running.size;
    },
  };
}
