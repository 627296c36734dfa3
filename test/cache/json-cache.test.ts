import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { digest, readCached, writeCached } from "../../src/cache/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-cache-"));
after(() => rmSync(root, { recursive: true, force: true }));

const isNumbers = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => typeof v === "number");

test("digest separates its parts: moving a boundary changes it", () => {
  assert.notEqual(digest(["ab", "c"]), digest(["a", "bc"]));
  assert.equal(digest(["a", "b"]), digest(["a", "b"]));
});

test("an entry reads back only under its key and only in the accepted shape", () => {
  const dir = join(root, "shape");
  writeCached(dir, "k1", [1, 2, 3]);
  assert.deepEqual(readCached(dir, "k1", isNumbers), [1, 2, 3]);
  assert.equal(readCached(dir, "k2", isNumbers), undefined);
  writeCached(dir, "k3", { not: "numbers" });
  assert.equal(readCached(dir, "k3", isNumbers), undefined);
});

test("a corrupt entry is a miss, not an error", () => {
  const dir = join(root, "corrupt");
  writeCached(dir, "k", [1]);
  writeFileSync(join(dir, "k.json"), '[1, 2'); // truncated
  assert.equal(readCached(dir, "k", isNumbers), undefined);
});

test("a cache folder that cannot be created is ignored", () => {
  const file = join(root, "plain-file");
  writeFileSync(file, "x");
  assert.doesNotThrow(() => writeCached(join(file, "sub"), "k", [1]));
  assert.equal(readCached(join(file, "sub"), "k", isNumbers), undefined);
});

test("old entries are pruned: the newest eight stay", () => {
  const dir = join(root, "prune");
  for (let i = 0; i < 12; i++) {
    writeCached(dir, `k${i}`, [i]);
    const seconds = 1_700_000_000 + i;
    utimesSync(join(dir, `k${i}.json`), seconds, seconds);
  }
  writeCached(dir, "k12", [12]);
  const kept = readdirSync(dir).sort();
  assert.equal(kept.length, 8);
  assert.ok(kept.includes("k12.json") && kept.includes("k11.json") && !kept.includes("k0.json"), kept.join(" "));
});
