import { rmSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_HNSW, DEFAULT_HNSW_THRESHOLD, ExactVectorIndex, HnswVectorIndex } from "../../src/retrieval/vector-index.js";
import type { VectorIndex, VectorSearchHit } from "../../src/retrieval/vector-index.js";
import { formatNumber } from "../report.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { dot, nearQuery, randomUnitVectors, seededRandom } from "../vectors.js";
import { openWorkspace } from "../workspace.js";

const DIMENSION = 384;
const K = 4;
/** Noise length 0.5 on a unit vector: cosine ≈ 0.89 to its source, like a paraphrase of a card's text. */
const NEAR_NOISE = 0.5;
const EF_SWEEP = [64, 128, 256, 512];

interface QuerySet {
  readonly kind: "near" | "uniform";
  readonly queries: Float32Array[];
  /** For near queries: the stored row each was made from. */
  readonly sources?: number[];
}

interface Timed {
  readonly samples: number[];
  readonly results: VectorSearchHit[][];
}

function timeQueries(index: VectorIndex, queries: readonly Float32Array[]): Timed {
  for (const query of queries.slice(0, 20)) index.search(query, K);
  const samples: number[] = [];
  const results: VectorSearchHit[][] = [];
  for (const query of queries) {
    const start = performance.now();
    const hits = index.search(query, K);
    samples.push(performance.now() - start);
    results.push(hits);
  }
  return { samples, results };
}

function recallAtK(approx: readonly VectorSearchHit[][], exact: readonly VectorSearchHit[][]): number {
  let found = 0;
  let wanted = 0;
  approx.forEach((hits, i) => {
    const truth = new Set((exact[i] ?? []).map((h) => h.row));
    wanted += truth.size;
    found += hits.filter((h) => truth.has(h.row)).length;
  });
  return wanted === 0 ? 1 : found / wanted;
}

/** Share of near queries whose source vector comes back at rank 1. */
function sourceFirst(results: readonly VectorSearchHit[][], sources: readonly number[]): number {
  return results.filter((hits, i) => hits[0]?.row === sources[i]).length / results.length;
}

/** Figure 4: exact scan vs HNSW from 15 to 100k synthetic 384-d vectors, with recall@4 against exact. */
export const vectorScalingSection: Section = {
  id: "vectors",
  title: "Retrieval scaling: exact vs HNSW (384-d, k=4)",
  async run(ctx) {
    const f = new Findings();
    const sizes = ctx.quick ? [15, 1_000, 10_000] : [15, 1_000, 10_000, 100_000];
    // An exact scan of 100k vectors costs ~20 ms a query on an idle core: 100 queries per set keep the full run in budget.
    const queriesFor = (size: number) => (ctx.quick || size >= 100_000 ? 100 : 300);
    const random = seededRandom(20240601);
    const ws = openWorkspace("vectors");
    try {
      for (const size of sizes) {
        ctx.log(`  ${size} vectors`);
        const vectors = randomUnitVectors(size, DIMENSION, random);
        const queryCount = queriesFor(size);
        const nearQueries = Array.from({ length: queryCount }, () => nearQuery(vectors, DIMENSION, NEAR_NOISE, random));
        const near: QuerySet = { kind: "near", queries: nearQueries.map((q) => q.query), sources: nearQueries.map((q) => q.source) };
        const uniform: QuerySet = { kind: "uniform", queries: Array.from({ length: queryCount }, () => randomUnitVectors(1, DIMENSION, random)) };
        const exact = new ExactVectorIndex(vectors, DIMENSION);
        const buildStart = performance.now();
        const hnsw = HnswVectorIndex.build(vectors, DIMENSION);
        const buildMs = performance.now() - buildStart;
        f.row({ label: `${size}: HNSW build (M ${DEFAULT_HNSW.m}, efConstruction ${DEFAULT_HNSW.efConstruction})`, value: buildMs, unit: "ms" });
        const largest = size === sizes[sizes.length - 1];
        const indexFile = join(ws.dir, `hnsw-${size}.bin`);
        if (largest) hnsw.write(indexFile);

        for (const set of [near, uniform]) {
          const truth = timeQueries(exact, set.queries);
          const approx = timeQueries(hnsw, set.queries);
          const e = f.measure(`${size} ${set.kind}: exact`, truth.samples);
          const h = f.measure(`${size} ${set.kind}: HNSW ef ${DEFAULT_HNSW.efSearch}`, approx.samples);
          const recall = recallAtK(approx.results, truth.results);
          const atTarget = size === 100_000;
          f.row({ label: `${size} ${set.kind}: exact p50`, value: e.p50, unit: "ms" });
          f.row({ label: `${size} ${set.kind}: HNSW p50`, value: h.p50, unit: "ms", ...(atTarget ? { target: { op: "<=" as const, value: 5 } } : {}) });
          f.row({ label: `${size} ${set.kind}: HNSW recall@${K}`, value: recall, unit: "", ...(atTarget ? { target: { op: ">=" as const, value: 0.95 } } : {}) });
          if (set.sources) f.row({ label: `${size} ${set.kind}: HNSW returns the source vector first`, value: sourceFirst(approx.results, set.sources), unit: "" });
          f.row({ label: `${size} ${set.kind}: exact p50 ÷ HNSW p50`, value: e.p50 / h.p50, unit: "×" });
          if (largest) {
            for (const ef of EF_SWEEP) {
              const swept = timeQueries(HnswVectorIndex.read(indexFile, DIMENSION, ef), set.queries);
              const s = f.measure(`${size} ${set.kind}: HNSW ef ${ef} (sweep)`, swept.samples);
              f.note(`${size} ${set.kind}, efSearch ${ef}: p50 ${formatNumber(s.p50)} ms, recall@${K} ${formatNumber(recallAtK(swept.results, truth.results))}`);
            }
          }
        }
        if (largest) rmSync(indexFile, { force: true });
      }
      const cosines = Array.from({ length: 200 }, () => {
        const base = randomUnitVectors(1, DIMENSION, random);
        return dot(base, nearQuery(base, DIMENSION, NEAR_NOISE, random).query);
      });
      f.note(
        `"near" queries are a stored vector plus Gaussian noise, renormalized (mean cosine to the source ` +
          `${formatNumber(cosines.reduce((a, b) => a + b, 0) / cosines.length)}): what card search looks like. "uniform" queries are ` +
          "random unit vectors, the worst case for any ANN index (no cluster structure, near-equidistant neighbours). " +
          "The stored vectors are uniform too, so for near queries ranks 2–4 are as hard as for uniform ones; " +
          "\"returns the source vector first\" shows whether the true match is found.",
      );
      f.note(
        `Indexes come from src/retrieval/vector-index.ts (ExactVectorIndex, HnswVectorIndex.build with DEFAULT_HNSW); the retriever ` +
          `switches to HNSW from ${DEFAULT_HNSW_THRESHOLD} vectors. ${sizes.map((size) => `${queriesFor(size)}`).join("/")} queries per set ` +
          `(by size); recall@${K} is against the exact scan. hnswlib-node is compiled by node-gyp without -march flags (SSE, no AVX).`,
      );
      if (ctx.quick) f.note("Quick run: stops at 10k vectors (the 100k HNSW build takes minutes on this machine).");
    } finally {
      ws.close();
    }
    return f.result();
  },
};
