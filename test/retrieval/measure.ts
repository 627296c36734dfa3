/**
 * Retrieval measurements (not a test: timings vary by machine). Run: node --import tsx test/retrieval/measure.ts [--ann]
 * Quality on test/retrieval/queries.jsonl for lexical, semantic and fused rankings, lexical and embedding latency,
 * and with --ann exact vs HNSW search at 10k and 100k random 384-d vectors.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { LexicalIndex, TransformersEmbedder, createRetriever, renderContext } from "../../src/retrieval/index.js";
import type { FusionOptions } from "../../src/retrieval/index.js";
import { ExactVectorIndex, HnswVectorIndex } from "../../src/retrieval/vector-index.js";
import { randomUnitVectors } from "./helpers.js";
import { labelledQueries, measure } from "./labelled.js";

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
function percentiles(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms`;
}
function time(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const cards = loadCardsSync([bundledCardsDir()]);
const queries = labelledQueries();
console.log(`${cards.cards.length} cards, ${queries.length} labelled queries`);

const buildMs = time(() => LexicalIndex.build(cards.cards));
const lexical = LexicalIndex.build(cards.cards);
const lexicalQuality = await measure((q) => lexical.search(q, 4).map((h) => h.id));
console.log(`lexical: top-1 ${pct(lexicalQuality.top1)}, recall@4 ${pct(lexicalQuality.recallAt4)} (index build ${buildMs.toFixed(1)} ms)`);
const lexicalTimes: number[] = [];
for (let round = 0; round < 20; round++) for (const { query } of queries) lexicalTimes.push(time(() => lexical.search(query, 4)));
console.log(`lexical query: ${percentiles(lexicalTimes)}`);

const contextCold = time(() => renderContext(lexical.search("bounce web", 4).map((h) => ({ card: cards.byId.get(h.id)! }))));
const contextWarm: number[] = [];
for (const { query } of queries) {
  const hits = lexical.search(query, 4).map((h) => ({ card: cards.byId.get(h.id)! }));
  contextWarm.push(time(() => renderContext(hits)));
}
console.log(`renderContext: first call ${contextCold.toFixed(1)} ms (loads the tokenizer), then ${percentiles(contextWarm)}`);

const modelDir = fileURLToPath(new URL("../../.cache/models/minilm-random", import.meta.url));
if (!existsSync(modelDir)) {
  console.log("semantic: skipped, random MiniLM not built (bash scripts/make-minilm.sh)");
} else {
  for (const dtype of ["q8", "fp32"] as const) {
    const loadStart = performance.now();
    const embedder = await TransformersEmbedder.load({ modelDir, dtype });
    const loadMs = performance.now() - loadStart;
    const embedTimes: number[] = [];
    for (const { query } of queries) {
      const start = performance.now();
      await embedder.embed([query]);
      embedTimes.push(performance.now() - start);
    }
    console.log(`embed (${dtype}, random weights): load ${loadMs.toFixed(0)} ms, one query ${percentiles(embedTimes)}`);
    if (dtype !== "q8") {
      await embedder.dispose();
      continue;
    }
    const semantic = await createRetriever({ cards, mode: "semantic", embedder });
    const semanticQuality = await measure(async (q) => (await semantic.search(q, { k: 4 })).map((h) => h.card.id));
    console.log(`semantic (RANDOM weights: meaningless): top-1 ${pct(semanticQuality.top1)}, recall@4 ${pct(semanticQuality.recallAt4)}`);
    const fusions: FusionOptions[] = [
      { k: 60, lexicalWeight: 1, semanticWeight: 1 },
      { k: 10, lexicalWeight: 1, semanticWeight: 1 },
      { k: 60, lexicalWeight: 2, semanticWeight: 1 },
      { k: 60, lexicalWeight: 3, semanticWeight: 1 },
      { k: 10, lexicalWeight: 3, semanticWeight: 1 },
      { k: 5, lexicalWeight: 3, semanticWeight: 1 },
      { k: 10, lexicalWeight: 2, semanticWeight: 1 },
      { k: 10, lexicalWeight: 4, semanticWeight: 1 },
      { k: 20, lexicalWeight: 3, semanticWeight: 1 },
    ];
    for (const fusion of fusions) {
      const hybrid = await createRetriever({ cards, mode: "hybrid", embedder, fusion });
      const q = await measure(async (text) => (await hybrid.search(text, { k: 4 })).map((h) => h.card.id));
      console.log(`hybrid RRF k=${fusion.k} lexical:semantic ${fusion.lexicalWeight}:${fusion.semanticWeight}: top-1 ${pct(q.top1)}, recall@4 ${pct(q.recallAt4)}`);
    }
    await embedder.dispose();
  }
}

if (process.argv.includes("--ann")) {
  const dim = 384;
  for (const count of [10_000, 100_000]) {
    const vectors = randomUnitVectors(count, dim, count);
    const exact = new ExactVectorIndex(vectors, dim);
    let hnsw: HnswVectorIndex | undefined;
    const hnswBuild = time(() => (hnsw = HnswVectorIndex.build(vectors, dim)));
    // Random unit queries are the worst case for a graph index (all points nearly equidistant); queries that lie
    // near stored vectors, as real query embeddings lie near card embeddings, are the realistic case.
    const uniform = randomUnitVectors(200, dim, 99);
    const noise = randomUnitVectors(200, dim, 98);
    const near = new Float32Array(200 * dim);
    for (let q = 0; q < 200; q++) {
      const row = (q * 7919) % count;
      let norm = 0;
      for (let d = 0; d < dim; d++) {
        const v = vectors[row * dim + d]! + 0.5 * noise[q * dim + d]!;
        near[q * dim + d] = v;
        norm += v * v;
      }
      for (let d = 0; d < dim; d++) near[q * dim + d]! /= Math.sqrt(norm);
    }
    for (const [name, queryVectors] of [["uniform queries", uniform], ["queries near stored vectors", near]] as const) {
      const exactTimes: number[] = [];
      const hnswTimes: number[] = [];
      let found = 0;
      for (let q = 0; q < 200; q++) {
        const query = queryVectors.subarray(q * dim, (q + 1) * dim);
        let truth: Set<number> = new Set();
        exactTimes.push(time(() => (truth = new Set(exact.search(query, 4).map((h) => h.row)))));
        let approx: number[] = [];
        hnswTimes.push(time(() => (approx = hnsw!.search(query, 4).map((h) => h.row))));
        found += approx.filter((row) => truth.has(row)).length;
      }
      console.log(
        `${count} vectors, ${name}: exact ${percentiles(exactTimes)}; HNSW (M16, ef256) ${percentiles(hnswTimes)}, recall@4 ${pct(found / 800)}, build ${(hnswBuild / 1000).toFixed(1)} s`,
      );
    }
  }
}
