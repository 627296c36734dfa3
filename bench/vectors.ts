/** Seeded synthetic vectors: the same data every run, so runs compare. */
import { ExactVectorIndex } from "../src/retrieval/vector-index.js";

/** mulberry32: a tiny, well-known 32-bit PRNG; quality is ample for benchmark data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const x of vector) norm += x * x;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] as number) * scale;
  return vector;
}

/** `count` unit vectors uniformly distributed on the sphere, row-major in one array. */
export function randomUnitVectors(count: number, dimension: number, random: () => number): Float32Array {
  const out = new Float32Array(count * dimension);
  for (let row = 0; row < count; row++) {
    const vector = out.subarray(row * dimension, (row + 1) * dimension);
    for (let d = 0; d < dimension; d++) vector[d] = gaussian(random);
    normalize(vector);
  }
  return out;
}

/**
 * Parameters of the topic-mixture generator. Energies are shares of a vector's squared length before it is
 * normalized; they need not sum to 1.
 */
export interface TopicMixtureParams {
  readonly dimension: number;
  /** Number of topics (clusters); cards pick one with Zipf-like weights, as real corpora have big and small topics. */
  readonly topics: number;
  /** Exponent of the topic weights 1 / (rank + 1)^s. */
  readonly zipf: number;
  /** Rank of each topic's own subspace: how many independent ways cards within a topic differ. */
  readonly topicRank: number;
  /** Energy of the direction all texts share (embedding spaces are anisotropic: unrelated texts are not orthogonal). */
  readonly sharedEnergy: number;
  /** Energy of the topic's centre. */
  readonly centreEnergy: number;
  /** Energy of the position inside the topic's subspace. */
  readonly subspaceEnergy: number;
  /** Energy of isotropic noise in all dimensions (wording that no structure explains). */
  readonly noiseEnergy: number;
}

/** See the bench notes and BENCHMARKS.md for how these were chosen. */
export const MINILM_LIKE: TopicMixtureParams = {
  dimension: 384,
  topics: 400,
  zipf: 0.8,
  topicRank: 12,
  sharedEnergy: 0.05,
  centreEnergy: 0.3,
  subspaceEnergy: 0.5,
  noiseEnergy: 0.15,
};

/**
 * A corpus of sentence-embedding-like unit vectors: each is shared direction + topic centre + a point in the
 * topic's low-rank subspace + isotropic noise. Low intrinsic dimension with topic clusters is what separates real
 * text embeddings from uniform vectors; `sample` draws any number of further points (held-out queries) from the
 * same distribution.
 */
export class TopicMixture {
  private readonly shared: Float32Array;
  private readonly centres: Float32Array;
  /** Per topic, `topicRank` row vectors of length ≈ 1 spanning its subspace. */
  private readonly bases: Float32Array;
  private readonly cumulative: Float64Array;

  constructor(
    readonly params: TopicMixtureParams,
    seed: number,
  ) {
    const random = seededRandom(seed);
    const { dimension, topics, topicRank, zipf } = params;
    this.shared = randomUnitVectors(1, dimension, random);
    this.centres = randomUnitVectors(topics, dimension, random);
    this.bases = randomUnitVectors(topics * topicRank, dimension, random);
    this.cumulative = new Float64Array(topics);
    let total = 0;
    for (let t = 0; t < topics; t++) this.cumulative[t] = total += 1 / (t + 1) ** zipf;
    for (let t = 0; t < topics; t++) this.cumulative[t] = (this.cumulative[t] as number) / total;
  }

  /** `count` vectors, row-major; the same `random` state gives the same vectors. */
  sample(count: number, random: () => number): { vectors: Float32Array; topics: Uint32Array } {
    const { dimension, topicRank, sharedEnergy, centreEnergy, subspaceEnergy, noiseEnergy } = this.params;
    const out = new Float32Array(count * dimension);
    const topicOf = new Uint32Array(count);
    const shared = Math.sqrt(sharedEnergy);
    const centre = Math.sqrt(centreEnergy);
    const sub = Math.sqrt(subspaceEnergy / topicRank);
    const noise = Math.sqrt(noiseEnergy / dimension);
    for (let row = 0; row < count; row++) {
      const topic = this.pickTopic(random());
      topicOf[row] = topic;
      const vector = out.subarray(row * dimension, (row + 1) * dimension);
      const c = topic * dimension;
      for (let d = 0; d < dimension; d++) {
        vector[d] = shared * (this.shared[d] as number) + centre * (this.centres[c + d] as number) + noise * gaussian(random);
      }
      for (let j = 0; j < topicRank; j++) {
        const weight = sub * gaussian(random);
        const b = (topic * topicRank + j) * dimension;
        for (let d = 0; d < dimension; d++) vector[d] = (vector[d] as number) + weight * (this.bases[b + d] as number);
      }
      normalize(vector);
    }
    return { vectors: out, topics: topicOf };
  }

  private pickTopic(u: number): number {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

export interface NearQuery {
  readonly query: Float32Array;
  /** The stored row the query was made from: its true best match. */
  readonly source: number;
}

/** A stored vector plus Gaussian noise of total length ≈ `noise`, renormalized: a query that has a true match. */
export function nearQuery(vectors: Float32Array, dimension: number, noise: number, random: () => number): NearQuery {
  const count = vectors.length / dimension;
  const row = Math.floor(random() * count);
  const query = Float32Array.from(vectors.subarray(row * dimension, (row + 1) * dimension));
  const sigma = noise / Math.sqrt(dimension);
  for (let d = 0; d < dimension; d++) query[d] = (query[d] as number) + sigma * gaussian(random);
  return { query: normalize(query), source: row };
}

export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

export interface NeighbourStats {
  /** Median cosine of a query to its nearest stored vector. */
  readonly nearestCosine: number;
  /** Median cosine to the 4th nearest. */
  readonly fourthCosine: number;
  /** Mean cosine to a random stored vector. */
  readonly meanCosine: number;
  /**
   * Median relative contrast, mean distance ÷ nearest distance (Euclidean on the unit sphere): near 1 means every
   * vector is about as far as the nearest and "nearest" carries no meaning.
   */
  readonly relativeContrast: number;
  /** Median local intrinsic dimensionality, Levina–Bickel maximum-likelihood estimate from the 20 nearest. */
  readonly localDimension: number;
}

const LID_NEIGHBOURS = 20;
const CONTRAST_SAMPLE = 500;

/** Neighbourhood statistics of `queries` against `vectors`, by exact search: how hard the set is for ANN. */
export function neighbourStats(vectors: Float32Array, queries: Float32Array, dimension: number): NeighbourStats {
  const exact = new ExactVectorIndex(vectors, dimension);
  const random = seededRandom(1);
  const nearest: number[] = [];
  const fourth: number[] = [];
  const contrast: number[] = [];
  const lid: number[] = [];
  let cosineSum = 0;
  const distance = (cosine: number): number => Math.sqrt(Math.max(2 - 2 * cosine, 1e-12));
  for (let q = 0; q < queries.length / dimension; q++) {
    const query = queries.subarray(q * dimension, (q + 1) * dimension);
    const hits = exact.search(query, LID_NEIGHBOURS);
    const distances = hits.map((hit) => distance(hit.score));
    const farthest = distances[distances.length - 1] as number;
    let logSum = 0;
    for (const d of distances.slice(0, -1)) logSum += Math.log(d / farthest);
    lid.push(-(distances.length - 1) / logSum);
    let distanceSum = 0;
    for (let i = 0; i < CONTRAST_SAMPLE; i++) {
      const row = Math.floor(random() * exact.count);
      const cosine = dot(vectors.subarray(row * dimension, (row + 1) * dimension), query);
      cosineSum += cosine;
      distanceSum += distance(cosine);
    }
    contrast.push(distanceSum / CONTRAST_SAMPLE / (distances[0] as number));
    nearest.push((hits[0] as { score: number }).score);
    fourth.push((hits[3] as { score: number }).score);
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
  return {
    nearestCosine: median(nearest),
    fourthCosine: median(fourth),
    meanCosine: cosineSum / (nearest.length * CONTRAST_SAMPLE),
    relativeContrast: median(contrast),
    localDimension: median(lid),
  };
}
