import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createRetriever } from "../../src/retrieval/index.js";
import { HNSW_FILE, VECTORS_FILE, loadIndex } from "../../src/retrieval/index-store.js";
import { HashingEmbedder, SMALL_CARDS } from "./helpers.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-index-"));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, `index-${dirs++}`);

async function open(indexDir: string, embedder = new HashingEmbedder(), cards = SMALL_CARDS, hnswThreshold?: number) {
  const warnings: string[] = [];
  const retriever = await createRetriever({
    cards,
    mode: "semantic",
    embedder,
    indexDir,
    onWarning: (m) => warnings.push(m),
    ...(hnswThreshold === undefined ? {} : { hnswThreshold }),
  });
  return { retriever, warnings, embedder };
}

test("a persisted index is reused when card set and embedder match", async () => {
  const dir = freshDir();
  const first = await open(dir);
  assert.equal(first.embedder.embedded, SMALL_CARDS.cards.length);
  assert.deepEqual(first.warnings, []);
  const second = await open(dir);
  assert.equal(second.embedder.embedded, 0, "cards must not be embedded again");
  assert.deepEqual(second.warnings, []);
  const [hit] = await second.retriever.search("bounce the web deployment");
  assert.equal(hit?.card.id, "deployment-restart");
  assert.deepEqual(readdirSync(dir).sort(), [VECTORS_FILE]);
});

test("a changed card set makes the index stale: rebuilt with a warning", async () => {
  const dir = freshDir();
  await open(dir);
  const changed = { ...SMALL_CARDS, hash: "0".repeat(64) };
  const reopened = await open(dir, new HashingEmbedder(), changed);
  assert.equal(reopened.embedder.embedded, SMALL_CARDS.cards.length);
  assert.equal(reopened.warnings.length, 1);
  assert.match(reopened.warnings[0]!, /stale \(the card set changed\); rebuilding/);
  assert.equal(loadIndex(dir, { cardSetHash: changed.hash, embedderId: "hashing:64", dimension: 64 }).status, "ok");
});

test("a different embedder id makes the index stale", async () => {
  const dir = freshDir();
  await open(dir);
  const reopened = await open(dir, new HashingEmbedder("hashing:64-v2"));
  assert.match(reopened.warnings[0]!, /built with embedder hashing:64, now hashing:64-v2/);
  assert.equal(reopened.embedder.embedded, SMALL_CARDS.cards.length);
});

for (const [name, damage, reason] of [
  ["a flipped payload byte", (b: Buffer) => { b[b.length - 3]! ^= 0xff; return b; }, /fails its checksum/],
  ["a truncated file", (b: Buffer) => b.subarray(0, b.length - 10), /payload bytes/],
  ["garbage", () => Buffer.from("not an index"), /not a rag-k8s vector index/],
  ["a broken header", (b: Buffer) => { b.write("}", 12); return b; }, /unreadable header/],
] as const) {
  test(`a corrupt index (${name}) is rebuilt with a warning, not a crash`, async () => {
    const dir = freshDir();
    await open(dir);
    const file = join(dir, VECTORS_FILE);
    writeFileSync(file, damage(readFileSync(file)));
    const reopened = await open(dir);
    assert.equal(reopened.warnings.length, 1);
    assert.match(reopened.warnings[0]!, /is corrupt/);
    assert.match(reopened.warnings[0]!, reason);
    assert.equal(reopened.embedder.embedded, SMALL_CARDS.cards.length);
    const again = await open(dir);
    assert.deepEqual(again.warnings, []);
  });
}

test("large sets persist an HNSW graph; a corrupt graph is rebuilt from the stored vectors", async () => {
  const dir = freshDir();
  await open(dir, new HashingEmbedder(), SMALL_CARDS, 1);
  assert.deepEqual(readdirSync(dir).sort(), [HNSW_FILE, VECTORS_FILE]);
  const reused = await open(dir, new HashingEmbedder(), SMALL_CARDS, 1);
  assert.deepEqual(reused.warnings, []);
  const [hit] = await reused.retriever.search("tail the logs of a pod");
  assert.equal(hit?.card.id, "pod-logs");

  writeFileSync(join(dir, HNSW_FILE), "broken");
  const repaired = await open(dir, new HashingEmbedder(), SMALL_CARDS, 1);
  assert.equal(repaired.embedder.embedded, 0, "the graph is rebuilt from stored vectors, not re-embedded");
  assert.match(repaired.warnings[0]!, /hnsw\.bin was unusable .*rebuilt it from the stored vectors/);
  assert.deepEqual((await open(dir, new HashingEmbedder(), SMALL_CARDS, 1)).warnings, []);
});

test("a build that fails half-way leaves the previous index intact and no temporary files", async () => {
  const dir = freshDir();
  await open(dir);
  const before = readFileSync(join(dir, VECTORS_FILE));
  class FailingEmbedder extends HashingEmbedder {
    override async embed(): Promise<Float32Array[]> {
      throw new Error("model crashed");
    }
  }
  await assert.rejects(open(dir, new FailingEmbedder("hashing:other")), /model crashed/);
  assert.deepEqual(readFileSync(join(dir, VECTORS_FILE)), before);
  assert.deepEqual(readdirSync(dir), [VECTORS_FILE]);
});

test("buildIndex re-embeds every card and reports progress", async () => {
  const dir = freshDir();
  const { retriever, embedder } = await open(dir);
  const progress: string[] = [];
  await retriever.buildIndex((p) => progress.push(`${p.done}/${p.total}`));
  assert.deepEqual(progress, ["0/5", "5/5"]);
  assert.equal(embedder.embedded, 2 * SMALL_CARDS.cards.length);
});
