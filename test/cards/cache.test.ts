import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CardLoadError, bundledCardsDir, loadCards, loadCardsSync } from "../../src/cards/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-cards-cache-"));
after(() => rmSync(root, { recursive: true, force: true }));

function copyOfBundledCards(name: string): string {
  const dir = join(root, name);
  cpSync(bundledCardsDir(), dir, { recursive: true });
  return dir;
}

test("a cached card set equals the freshly parsed one", async () => {
  const cacheDir = join(root, "cache-equal");
  const fresh = loadCardsSync([bundledCardsDir()]);
  const miss = await loadCards([bundledCardsDir()], { cacheDir });
  const hit = await loadCards([bundledCardsDir()], { cacheDir });
  assert.equal(readdirSync(join(cacheDir, "cards")).length, 1, "the miss wrote one entry");
  for (const set of [miss, hit]) {
    assert.deepEqual(set.cards, fresh.cards);
    assert.deepEqual(set.byId, fresh.byId);
    assert.deepEqual(set.sources, fresh.sources);
    assert.equal(set.hash, fresh.hash);
  }
});

test("an edited card file is parsed again, never served from the cache", () => {
  const cacheDir = join(root, "cache-edit");
  const dir = copyOfBundledCards("cards-edit");
  const before = loadCardsSync([dir], { cacheDir });
  const file = join(dir, "deployment-restart.yaml");
  writeFileSync(file, readFileSync(file, "utf8").replace(/^title: .*$/m, "title: Restart, edited"));
  const afterEdit = loadCardsSync([dir], { cacheDir });
  assert.equal(afterEdit.byId.get("deployment-restart")?.title, "Restart, edited");
  assert.notEqual(afterEdit.hash, before.hash);
});

test("an invalid card still fails with its location, cache or not, and nothing is cached", () => {
  const cacheDir = join(root, "cache-invalid");
  const dir = copyOfBundledCards("cards-invalid");
  writeFileSync(join(dir, "broken.yaml"), "id: broken\ntitle: [unclosed\n");
  for (let i = 0; i < 2; i++) {
    assert.throws(() => loadCardsSync([dir], { cacheDir }), (error: unknown) => error instanceof CardLoadError && /broken\.yaml:\d+:\d+/.test(error.message));
  }
  assert.equal(existsSync(cacheDir), false, "nothing was written to the cache");
});

test("a cache entry of the wrong shape is ignored", () => {
  const cacheDir = join(root, "cache-shape");
  const fresh = loadCardsSync([bundledCardsDir()], { cacheDir });
  const [entry] = readdirSync(join(cacheDir, "cards"));
  assert.ok(entry !== undefined);
  writeFileSync(join(cacheDir, "cards", entry), JSON.stringify({ cards: "not a list" }));
  assert.deepEqual(loadCardsSync([bundledCardsDir()], { cacheDir }).cards, fresh.cards);
});
