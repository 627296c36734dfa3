import assert from "node:assert/strict";
import { test } from "node:test";
import { ExactVectorIndex, HnswVectorIndex, buildVectorIndex } from "../../src/retrieval/vector-index.js";
import { randomUnitVectors } from "./helpers.js";

const DIM = 384;

function bruteForce(vectors: Float32Array, query: Float32Array, k: number): number[] {
  const scores: { row: number; score: number }[] = [];
  for (let row = 0; row < vectors.length / DIM; row++) {
    let score = 0;
    for (let d = 0; d < DIM; d++) score += vectors[row * DIM + d]! * query[d]!;
    scores.push({ row, score });
  }
  return scores.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.row);
}

test("exact search returns the true top-k by inner product, best first", () => {
  const vectors = randomUnitVectors(500, DIM, 7);
  const index = new ExactVectorIndex(vectors, DIM);
  const queries = randomUnitVectors(20, DIM, 8);
  for (let q = 0; q < 20; q++) {
    const query = queries.subarray(q * DIM, (q + 1) * DIM);
    const hits = index.search(query, 4);
    assert.deepEqual(hits.map((h) => h.row), bruteForce(vectors, query, 4));
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
  }
});

test("exact search handles k larger than the corpus and rejects wrong dimensions", () => {
  const index = new ExactVectorIndex(randomUnitVectors(3, DIM, 1), DIM);
  assert.equal(index.search(randomUnitVectors(1, DIM, 2), 10).length, 3);
  assert.throws(() => index.search(new Float32Array(10), 1), /dimension 10/);
  assert.throws(() => new ExactVectorIndex(new Float32Array(DIM + 1), DIM), /not a multiple/);
});

test("HNSW agrees with exact search on recall@4 for 3,000 random vectors", () => {
  const vectors = randomUnitVectors(3000, DIM, 11);
  const exact = new ExactVectorIndex(vectors, DIM);
  const hnsw = HnswVectorIndex.build(vectors, DIM);
  const queries = randomUnitVectors(100, DIM, 12);
  let found = 0;
  for (let q = 0; q < 100; q++) {
    const query = queries.subarray(q * DIM, (q + 1) * DIM);
    const truth = new Set(exact.search(query, 4).map((h) => h.row));
    found += hnsw.search(query, 4).filter((h) => truth.has(h.row)).length;
  }
  // Random unit vectors are the worst case for graph search; real embeddings cluster and do better.
  assert.ok(found / 400 >= 0.95, `HNSW recall@4 ${found / 400}`);
});

test("HNSW scores are inner products like the exact index's", () => {
  const vectors = randomUnitVectors(200, DIM, 21);
  const query = randomUnitVectors(1, DIM, 22);
  const [exactTop] = new ExactVectorIndex(vectors, DIM).search(query, 1);
  const [hnswTop] = HnswVectorIndex.build(vectors, DIM).search(query, 1);
  assert.equal(hnswTop!.row, exactTop!.row);
  assert.ok(Math.abs(hnswTop!.score - exactTop!.score) < 1e-5);
});

test("buildVectorIndex switches to HNSW at the threshold", () => {
  const vectors = randomUnitVectors(50, DIM, 3);
  assert.equal(buildVectorIndex(vectors, DIM, { hnswThreshold: 51 }).kind, "exact");
  assert.equal(buildVectorIndex(vectors, DIM, { hnswThreshold: 50 }).kind, "hnsw");
});
