import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { LexicalIndex } from "../../src/retrieval/lexical/bm25.js";
import { lexicalIndexFor } from "../../src/retrieval/lexical/cached.js";

const cacheDir = mkdtempSync(join(tmpdir(), "rag-k8s-lexical-cache-"));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

const QUERIES = [
  "restart deployment web in staging",
  "restrat deplyment web", // typo correction must behave the same after a round trip
  "pod keeps crashing",
  "why is the rollout stuck",
  "logs of checkout-api since 10m",
  "drain node worker-2 without deleting local data",
];

test("an index read from the cache ranks exactly like a freshly built one", () => {
  const cards = loadCardsSync([bundledCardsDir()]);
  const built = LexicalIndex.build(cards.cards);
  const first = lexicalIndexFor(cards, cacheDir);
  const cached = lexicalIndexFor(cards, cacheDir);
  assert.equal(readdirSync(join(cacheDir, "lexical")).length, 1);
  for (const query of QUERIES) {
    assert.deepEqual(first.search(query), built.search(query), query);
    assert.deepEqual(cached.search(query), built.search(query), query);
    assert.deepEqual(cached.terms(query), built.terms(query), query);
  }
});
