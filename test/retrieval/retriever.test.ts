import assert from "node:assert/strict";
import { test } from "node:test";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { EmbedderRequiredError, EmptyQueryError, createRetriever } from "../../src/retrieval/index.js";
import { fuseRankings } from "../../src/retrieval/fusion.js";
import { HashingEmbedder } from "./helpers.js";

const cards = loadCardsSync([bundledCardsDir()]);

test("lexical is the default mode and needs no embedder", async () => {
  const retriever = await createRetriever({ cards });
  assert.equal(retriever.mode, "lexical");
  const hits = retriever.searchLexical("bounce the web deploy");
  assert.equal(hits.length, 4);
  assert.equal(hits[0]?.card.id, "deployment-restart");
  assert.deepEqual(hits[0]?.ranks, { lexical: 1 });
  assert.deepEqual(await retriever.search("bounce the web deploy"), hits);
});

test("intent/resource filters keep matching cards", async () => {
  const retriever = await createRetriever({ cards });
  const hits = retriever.searchLexical("restart the db sts", { resource: "statefulset", k: 10 });
  assert.ok(hits.length >= 2);
  assert.ok(hits.every((h) => h.card.resource === "statefulset"));
  assert.equal(hits[0]?.card.id, "statefulset-restart");
});

test("fewer than two filtered hits: the best unfiltered hits fill up behind them", async () => {
  const retriever = await createRetriever({ cards });
  const only = retriever.searchLexical("cordon worker-3", { intent: "cordon", resource: "node" });
  assert.equal(only[0]?.card.id, "node-cordon");
  assert.equal(only.length, 4);
  assert.ok(only.slice(1).every((h) => h.card.id !== "node-cordon"));
  const none = retriever.searchLexical("bounce web", { intent: "restart", resource: "configmap" });
  assert.deepEqual(none, retriever.searchLexical("bounce web"), "no card restarts a configmap: unfiltered ranking");
});

test("filters alone are a query; nothing at all is a typed error", async () => {
  const retriever = await createRetriever({ cards });
  const hits = retriever.searchLexical("", { intent: "scale", resource: "statefulset" });
  assert.equal(hits[0]?.card.id, "statefulset-scale");
  assert.throws(() => retriever.searchLexical("   "), EmptyQueryError);
  await assert.rejects(retriever.search(""), EmptyQueryError);
});

test("k bounds the result", async () => {
  const retriever = await createRetriever({ cards });
  assert.equal(retriever.searchLexical("pod", { k: 2 }).length, 2);
  assert.equal(retriever.searchLexical("pod", { k: 10 }).length, 10);
});

test("semantic and hybrid modes without an embedder are a typed error", async () => {
  await assert.rejects(createRetriever({ cards, mode: "semantic" }), EmbedderRequiredError);
  const lexical = await createRetriever({ cards });
  await assert.rejects(lexical.buildIndex(), EmbedderRequiredError);
});

test("hybrid search fuses both rankings and reports each rank", async () => {
  const retriever = await createRetriever({ cards, mode: "hybrid", embedder: new HashingEmbedder() });
  assert.equal(retriever.mode, "hybrid");
  const hits = await retriever.search("bounce the web deploy", { k: 5 });
  assert.equal(hits.length, 5);
  assert.ok(hits.slice(0, 2).some((h) => h.card.id === "deployment-restart"));
  for (const hit of hits) {
    const { lexical, semantic } = hit.ranks;
    const expected = (lexical ? 3 / (10 + lexical) : 0) + (semantic ? 1 / (10 + semantic) : 0);
    assert.ok(Math.abs(hit.score - expected) < 1e-12, hit.card.id);
  }
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
  assert.equal(retriever.searchLexical("bounce the web deploy")[0]?.card.id, "deployment-restart");
});

test("semantic search ranks by cosine similarity", async () => {
  const retriever = await createRetriever({ cards, mode: "semantic", embedder: new HashingEmbedder() });
  const hits = await retriever.search("Cordon a node so no new pods are scheduled on it", { k: 3 });
  assert.equal(hits[0]?.card.id, "node-cordon");
  assert.ok(hits[0]!.score <= 1 + 1e-6 && hits[0]!.score > hits[2]!.score);
  assert.deepEqual(Object.keys(hits[0]!.ranks), ["semantic"]);
});

test("reciprocal-rank fusion: weights, smoothing, ties in lexical order", () => {
  const fused = fuseRankings(["a", "b", "c"], ["c", "b", "d"], { k: 60, lexicalWeight: 1, semanticWeight: 1 });
  // c: 1/63 + 1/61 = 0.032266 edges out b: 2/62 = 0.032258.
  assert.deepEqual(fused.map((e) => e.id), ["c", "b", "a", "d"]);
  assert.deepEqual(fused[1]?.ranks, { lexical: 2, semantic: 2 });
  assert.ok(Math.abs(fused[1]!.score - 2 / 62) < 1e-12);
  const lexicalHeavy = fuseRankings(["a", "b"], ["b", "a"], { k: 60, lexicalWeight: 2, semanticWeight: 1 });
  assert.equal(lexicalHeavy[0]?.id, "a");
  const tie = fuseRankings(["x", "y"], ["y", "x"], { k: 60, lexicalWeight: 1, semanticWeight: 1 });
  assert.deepEqual(tie.map((e) => e.id), ["x", "y"]);
});
