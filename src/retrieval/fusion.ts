export interface FusionOptions {
  /** RRF smoothing constant: larger flattens the advantage of the very top ranks. */
  readonly k: number;
  readonly lexicalWeight: number;
  readonly semanticWeight: number;
}

/**
 * Measured on test/retrieval/queries.jsonl with test/retrieval/measure.ts (random-weight MiniLM, q8):
 * k=60 1:1 → top-1 77.8%, recall@4 93.8%; k=60 3:1 → 88.1% / 97.9%; k=10 3:1 → 95.9% / 100%;
 * k=5 3:1 → 96.9% / 100% (lexical alone: 97.9% / 99.5%). k=10 keeps nearly the best top-1 while leaving
 * the semantic ranking room to matter; re-measure with real MiniLM weights before changing it.
 */
export const DEFAULT_FUSION: FusionOptions = { k: 10, lexicalWeight: 3, semanticWeight: 1 };

export interface FusedEntry {
  readonly id: string;
  readonly score: number;
  /** 1-based rank in each input list the id appeared in. */
  readonly ranks: { lexical?: number; semantic?: number };
}

/**
 * Weighted reciprocal-rank fusion: Σ weight / (k + rank). Uses ranks only, so BM25 scores and cosine
 * similarities need no common scale. Ties keep the lexical order, then the semantic order.
 */
export function fuseRankings(
  lexical: readonly string[],
  semantic: readonly string[],
  options: FusionOptions = DEFAULT_FUSION,
): FusedEntry[] {
  const entries = new Map<string, { score: number; ranks: { lexical?: number; semantic?: number }; order: number }>();
  const add = (ids: readonly string[], list: "lexical" | "semantic", weight: number): void => {
    ids.forEach((id, i) => {
      let entry = entries.get(id);
      if (entry === undefined) entries.set(id, (entry = { score: 0, ranks: {}, order: entries.size }));
      entry.ranks[list] = i + 1;
      entry.score += weight / (options.k + i + 1);
    });
  };
  add(lexical, "lexical", options.lexicalWeight);
  add(semantic, "semantic", options.semanticWeight);
  return [...entries]
    .sort(([, a], [, b]) => b.score - a.score || a.order - b.order)
    .map(([id, { score, ranks }]) => ({ id, score, ranks }));
}
