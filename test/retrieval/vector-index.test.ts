import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { MINILM_LIKE, TopicMixture, seededRandom } from "../../bench/vectors.js";
import { DEFAULT_HNSW, ExactVectorIndex, HnswVectorIndex, buildVectorIndex } from "../../src/retrieval/vector-index.js";
import type { VectorIndex } from "../../src/retrieval/vector-index.js";
import { randomUnitVectors } from "./helpers.js";

const DIM = 384;
const root = mkdtempSync(join(tmpdir(), "rag-k8s-vector-index-"));
after(() => rmSync(root, { recursive: true, force: true }));

function bruteForce(vectors: Float32Array, query: Float32Array, dim: number, k: number): number[] {
  const scores: { row: number; score: number }[] = [];
  for (let row = 0; row < vectors.length / dim; row++) {
    let score = 0;
    for (let d = 0; d < dim; d++) score += vectors[row * dim + d]! * query[d]!;
    scores.push({ row, score });
  }
  return scores.sort((a, b) => b.score - a.score || a.row - b.row).slice(0, k).map((s) => s.row);
}

function recallAt4(index: VectorIndex, exact: ExactVectorIndex, queries: Float32Array): number {
  const count = queries.length / DIM;
  let found = 0;
  for (let q = 0; q < count; q++) {
    const query = queries.subarray(q * DIM, (q + 1) * DIM);
    const truth = new Set(exact.search(query, 4).map((h) => h.row));
    found += index.search(query, 4).filter((h) => truth.has(h.row)).length;
  }
  return found / (4 * count);
}

for (const dim of [DIM, 7]) {
  test(`exact search returns the true top-k by inner product, best first (${dim}-d)`, () => {
    const vectors = randomUnitVectors(500, dim, 7);
    const index = new ExactVectorIndex(vectors, dim);
    const queries = randomUnitVectors(20, dim, 8);
    for (let q = 0; q < 20; q++) {
      const query = queries.subarray(q * dim, (q + 1) * dim);
      for (const k of [1, 4, 40, 500]) {
        const hits = index.search(query, k);
        assert.deepEqual(hits.map((h) => h.row), bruteForce(vectors, query, dim, k), `k=${k}`);
        for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
      }
    }
  });
}

test("exact search handles k larger than the corpus, k = 0, and rejects wrong dimensions", () => {
  const index = new ExactVectorIndex(randomUnitVectors(3, DIM, 1), DIM);
  assert.equal(index.search(randomUnitVectors(1, DIM, 2), 10).length, 3);
  assert.deepEqual(index.search(randomUnitVectors(1, DIM, 2), 0), []);
  assert.throws(() => index.search(new Float32Array(10), 1), /dimension 10/);
  assert.throws(() => new ExactVectorIndex(new Float32Array(DIM + 1), DIM), /not a multiple/);
});

test("HNSW with the default parameters reaches recall@4 ≥ 0.95 on clustered, embedding-like vectors", () => {
  const mixture = new TopicMixture(MINILM_LIKE, 11);
  const vectors = mixture.sample(4000, seededRandom(12)).vectors;
  const queries = mixture.sample(200, seededRandom(13)).vectors;
  const recall = recallAt4(HnswVectorIndex.build(vectors, DIM), new ExactVectorIndex(vectors, DIM), queries);
  assert.ok(recall >= 0.95, `HNSW recall@4 ${recall}`);
});

test("a larger efSearch finds at least as many true neighbours on uniform vectors (the ANN worst case)", () => {
  const vectors = randomUnitVectors(3000, DIM, 11);
  const queries = randomUnitVectors(100, DIM, 12);
  const exact = new ExactVectorIndex(vectors, DIM);
  const hnsw = HnswVectorIndex.build(vectors, DIM);
  hnsw.efSearch = 8;
  const narrow = recallAt4(hnsw, exact, queries);
  hnsw.efSearch = 512;
  assert.equal(hnsw.efSearch, 512);
  const wide = recallAt4(hnsw, exact, queries);
  assert.ok(wide > narrow, `efSearch 512: ${wide}, efSearch 8: ${narrow}`);
  assert.ok(wide >= 0.95, `efSearch 512 recall@4 ${wide}`);
  assert.throws(() => (hnsw.efSearch = 0), /positive integer/);
});

test("an HNSW graph written to disk and read back answers exactly as before", () => {
  const vectors = randomUnitVectors(600, DIM, 31);
  const built = HnswVectorIndex.build(vectors, DIM);
  const file = join(root, "round-trip.bin");
  built.write(file);
  const read = HnswVectorIndex.read(file, DIM, DEFAULT_HNSW.efSearch);
  assert.equal(read.count, 600);
  assert.equal(read.efSearch, DEFAULT_HNSW.efSearch);
  const queries = randomUnitVectors(10, DIM, 32);
  for (let q = 0; q < 10; q++) {
    const query = queries.subarray(q * DIM, (q + 1) * DIM);
    assert.deepEqual(read.search(query, 4), built.search(query, 4));
  }
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
