import type { Card, CardSet, Intent, Resource } from "../cards/index.js";
import { cardEmbeddingText } from "./card-text.js";
import type { Embedder } from "./embedder.js";
import { EmbedderRequiredError, EmbeddingModelMissingError, EmptyQueryError } from "./errors.js";
import { DEFAULT_FUSION, fuseRankings } from "./fusion.js";
import type { FusionOptions } from "./fusion.js";
import { loadIndex, saveIndex } from "./index-store.js";
import type { StoredIndex } from "./index-store.js";
import type { LexicalHit, LexicalIndex } from "./lexical/bm25.js";
import { lexicalIndexFor } from "./lexical/cached.js";
import { buildVectorIndex, DEFAULT_HNSW_THRESHOLD } from "./vector-index.js";

export type RetrievalMode = "lexical" | "semantic" | "hybrid";

export interface RetrievalHit {
  readonly card: Card;
  /** BM25 score (lexical), cosine similarity (semantic) or fused RRF score (hybrid). */
  readonly score: number;
  /** 1-based rank of the card in each ranking that contributed. */
  readonly ranks: { readonly lexical?: number; readonly semantic?: number };
}

export interface SearchOptions {
  readonly intent?: Intent;
  readonly resource?: Resource;
  /** Number of hits; default 4. */
  readonly k?: number;
}

export interface IndexBuildProgress {
  readonly done: number;
  readonly total: number;
}

export interface Retriever {
  /** The mode in effect: "lexical" when semantic retrieval was asked for but the model could not be loaded. */
  readonly mode: RetrievalMode;
  /** Search in the retriever's mode. @throws EmptyQueryError when there is neither query text nor a filter. */
  search(query: string, options?: SearchOptions): Promise<RetrievalHit[]>;
  /** Lexical-only, synchronous: the hot path for structured requests. */
  searchLexical(query: string, options?: SearchOptions): RetrievalHit[];
  /** Re-embeds every card and rewrites the persisted index (`rag-k8s index build`). */
  buildIndex(onProgress?: (progress: IndexBuildProgress) => void): Promise<void>;
}

export interface CreateRetrieverOptions {
  readonly cards: CardSet;
  /** Default "lexical". */
  readonly mode?: RetrievalMode;
  /**
   * Needed for "semantic" and "hybrid". A loader function lets the retriever fall back to lexical retrieval
   * (with a warning) when the model is missing, instead of failing.
   */
  readonly embedder?: Embedder | (() => Promise<Embedder>);
  /** Where the card vectors persist between runs; without it they are computed at every start. */
  readonly indexDir?: string;
  /** Where the lexical index is cached between runs, keyed by the card-set hash; without it it is built at every start. */
  readonly cacheDir?: string;
  readonly onWarning?: (message: string) => void;
  readonly fusion?: FusionOptions;
  readonly hnswThreshold?: number;
}

const DEFAULT_K = 4;
/** Fewer filtered hits than this and the unfiltered ranking fills up the result. */
const MIN_FILTERED_HITS = 2;
const EMBED_BATCH = 16;
const LEXICAL_MEMO_ENTRIES = 512;

export async function createRetriever(options: CreateRetrieverOptions): Promise<Retriever> {
  const warn = options.onWarning ?? (() => {});
  const requested = options.mode ?? "lexical";
  const lexical = lexicalIndexFor(options.cards, options.cacheDir);
  const embedder = requested === "lexical" ? undefined : await resolveEmbedder(options.embedder, requested, warn);
  const retriever = new CardRetriever(options, lexical, embedder, embedder === undefined ? "lexical" : requested);
  if (embedder !== undefined) await retriever.prepareVectors(embedder, warn);
  return retriever;
}

async function resolveEmbedder(
  source: CreateRetrieverOptions["embedder"],
  mode: RetrievalMode,
  warn: (message: string) => void,
): Promise<Embedder | undefined> {
  if (source === undefined) throw new EmbedderRequiredError(mode);
  if (typeof source !== "function") return source;
  try {
    return await source();
  } catch (error) {
    if (!(error instanceof EmbeddingModelMissingError)) throw error;
    warn(`${error.message} Falling back to lexical retrieval.`);
    return undefined;
  }
}

class CardRetriever implements Retriever {
  private vectors: StoredIndex | undefined;
  private readonly lexicalMemo = new Map<string, readonly LexicalHit[]>();

  constructor(
    private readonly options: CreateRetrieverOptions,
    private readonly lexical: LexicalIndex,
    private readonly embedder: Embedder | undefined,
    readonly mode: RetrievalMode,
  ) {}

  async prepareVectors(embedder: Embedder, warn: (message: string) => void): Promise<void> {
    const { indexDir } = this.options;
    if (indexDir !== undefined) {
      const loaded = loadIndex(indexDir, this.identity(embedder));
      if (loaded.status === "ok") {
        if (loaded.warning !== undefined) warn(`vector index in ${indexDir}: ${loaded.warning}`);
        if (loaded.stored.ids.every((id) => this.options.cards.byId.has(id))) {
          this.vectors = loaded.stored;
          return;
        }
        warn(`vector index in ${indexDir} names cards that are not loaded; rebuilding it`);
      } else if (loaded.status !== "missing") {
        warn(`vector index in ${indexDir} is ${loaded.status} (${loaded.reason}); rebuilding it`);
      }
    }
    await this.buildIndex();
  }

  async buildIndex(onProgress?: (progress: IndexBuildProgress) => void): Promise<void> {
    const embedder = this.embedder;
    if (embedder === undefined) throw new EmbedderRequiredError(this.mode);
    const cards = this.options.cards.cards;
    const vectors = new Float32Array(cards.length * embedder.dimension);
    onProgress?.({ done: 0, total: cards.length });
    for (let start = 0; start < cards.length; start += EMBED_BATCH) {
      const batch = cards.slice(start, start + EMBED_BATCH);
      const embedded = await embedder.embed(batch.map(cardEmbeddingText));
      embedded.forEach((vector, i) => vectors.set(vector, (start + i) * embedder.dimension));
      onProgress?.({ done: start + batch.length, total: cards.length });
    }
    const ids = cards.map((card) => card.id);
    const indexOptions = {
      hnswThreshold: this.options.hnswThreshold ?? DEFAULT_HNSW_THRESHOLD,
      ...(this.options.onWarning ? { onWarning: this.options.onWarning } : {}),
    };
    this.vectors =
      this.options.indexDir === undefined
        ? { ids, vectors, index: buildVectorIndex(vectors, embedder.dimension, indexOptions) }
        : saveIndex(this.options.indexDir, this.identity(embedder), ids, vectors, indexOptions);
  }

  /**
   * Rankings are a pure function of the query text and the card set, and structured requests repeat a few
   * dozen intent/resource queries; a bounded memo makes their retrieval a map lookup.
   */
  private lexicalRanking(text: string): readonly LexicalHit[] {
    let ranked = this.lexicalMemo.get(text);
    if (ranked === undefined) {
      ranked = this.lexical.search(text);
      if (this.lexicalMemo.size >= LEXICAL_MEMO_ENTRIES) this.lexicalMemo.delete(this.lexicalMemo.keys().next().value as string);
      this.lexicalMemo.set(text, ranked);
    }
    return ranked;
  }

  searchLexical(query: string, options: SearchOptions = {}): RetrievalHit[] {
    const ranked = this.lexicalRanking(effectiveQuery(query, options));
    const hits = ranked.map((hit, i) => ({ card: this.card(hit.id), score: hit.score, ranks: { lexical: i + 1 } }));
    return applyFilters(hits, options);
  }

  async search(query: string, options: SearchOptions = {}): Promise<RetrievalHit[]> {
    if (this.mode === "lexical") return this.searchLexical(query, options);
    const text = effectiveQuery(query, options);
    const semantic = await this.semanticRanking(text);
    if (this.mode === "semantic") {
      const hits = semantic.map((hit, i) => ({ card: this.card(hit.id), score: hit.score, ranks: { semantic: i + 1 } }));
      return applyFilters(hits, options);
    }
    const lexical = this.lexicalRanking(text).map((hit) => hit.id);
    const fused = fuseRankings(
      lexical,
      semantic.map((hit) => hit.id),
      this.options.fusion ?? DEFAULT_FUSION,
    );
    return applyFilters(
      fused.map((entry) => ({ card: this.card(entry.id), score: entry.score, ranks: entry.ranks })),
      options,
    );
  }

  private async semanticRanking(text: string): Promise<{ id: string; score: number }[]> {
    const { embedder, vectors } = this;
    if (embedder === undefined || vectors === undefined) throw new EmbedderRequiredError(this.mode);
    const [queryVector] = await embedder.embed([text]);
    if (queryVector === undefined) throw new Error("embedder returned no vector for the query");
    // Exact search ranks every card, so filters can never run dry; HNSW returns a generous candidate pool.
    const pool = vectors.index.kind === "exact" ? vectors.index.count : 256;
    return vectors.index.search(queryVector, pool).map((hit) => ({ id: vectors.ids[hit.row] as string, score: hit.score }));
  }

  private card(id: string): Card {
    const card = this.options.cards.byId.get(id);
    if (card === undefined) throw new Error(`retrieval index names card "${id}", which is not loaded`);
    return card;
  }

  private identity(embedder: Embedder) {
    return { cardSetHash: this.options.cards.hash, embedderId: embedder.id, dimension: embedder.dimension };
  }
}

/** With no text, the filters themselves are the query ("restart deployment"), so they still rank cards. */
function effectiveQuery(query: string, options: SearchOptions): string {
  const text = query.trim();
  if (text !== "") return text;
  const fromFilters = [options.intent, options.resource].filter((part) => part !== undefined).join(" ");
  if (fromFilters === "") throw new EmptyQueryError();
  return fromFilters;
}

/**
 * Keeps hits matching intent/resource. When fewer than two survive, the best unfiltered hits fill up the
 * result behind them: a filter that names a combination no card covers should still surface neighbours.
 */
function applyFilters(hits: RetrievalHit[], options: SearchOptions): RetrievalHit[] {
  const k = options.k ?? DEFAULT_K;
  const { intent, resource } = options;
  if (intent === undefined && resource === undefined) return hits.slice(0, k);
  const filtered = hits.filter(
    (hit) => (intent === undefined || hit.card.intent === intent) && (resource === undefined || hit.card.resource === resource),
  );
  if (filtered.length >= MIN_FILTERED_HITS) return filtered.slice(0, k);
  const kept = new Set(filtered);
  return [...filtered, ...hits.filter((hit) => !kept.has(hit))].slice(0, k);
}
