/** Seeded synthetic vectors: the same data every run, so runs compare. */

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
