import { createHash } from "node:crypto";
import { stableJson } from "./llm/stable-json.js";

export interface PlanCacheKeyInput {
  /** A free-text goal, or a structured request (any key order). */
  readonly request: string | Readonly<Record<string, unknown>>;
  /** Changes whenever a card changes, so edited cards never serve stale plans. */
  readonly cardSetHash: string;
  /** LlmProvider.id, or the deterministic planner's name. */
  readonly modelId: string;
}

export interface PlanCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  readonly size: number;
  readonly maxEntries: number;
}

/** Goals that differ only in case or spacing are the same goal. */
export function normalizeGoal(goal: string): string {
  return goal.trim().replace(/\s+/g, " ").toLowerCase();
}

export function planCacheKey(input: PlanCacheKeyInput): string {
  const request =
    typeof input.request === "string" ? { goal: normalizeGoal(input.request) } : { request: input.request };
  return createHash("sha256")
    .update(stableJson({ cards: input.cardSetHash, model: input.modelId, ...request }))
    .digest("hex");
}

/** A bounded least-recently-used map from plan-cache keys to plans. */
export class PlanCache<V> {
  private readonly entries = new Map<string, V>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(readonly maxEntries = 1000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`plan cache size must be a positive integer, got ${maxEntries}`);
    }
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // A Map iterates in insertion order: re-inserting marks the entry most recently used.
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
      this.evictions++;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  stats(): PlanCacheStats {
    return { hits: this.hits, misses: this.misses, evictions: this.evictions, size: this.size, maxEntries: this.maxEntries };
  }

  clear(): void {
    this.entries.clear();
  }
}
