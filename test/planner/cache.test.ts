import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { normalizeGoal, PlanCache, planCacheKey } from "../../src/planner/cache.js";

describe("planCacheKey", () => {
  const base = { cardSetHash: "cards-1", modelId: "llama-cpp:m.gguf@abc" };

  test("goals differing only in case and spacing share a key", () => {
    assert.equal(normalizeGoal("  Restart   web\tin PROD \n"), "restart web in prod");
    assert.equal(planCacheKey({ ...base, request: "Restart web in prod" }), planCacheKey({ ...base, request: " restart  WEB in prod" }));
  });

  test("structured requests are keyed independently of key order, at every depth", () => {
    const a = planCacheKey({ ...base, request: { intent: "scale", name: "web", params: { replicas: 3, force: false } } });
    const b = planCacheKey({ ...base, request: { params: { force: false, replicas: 3 }, name: "web", intent: "scale" } });
    assert.equal(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
  });

  test("the card set, the model and the request each change the key", () => {
    const key = planCacheKey({ ...base, request: "restart web" });
    assert.notEqual(key, planCacheKey({ ...base, cardSetHash: "cards-2", request: "restart web" }));
    assert.notEqual(key, planCacheKey({ ...base, modelId: "openai:http://x#m", request: "restart web" }));
    assert.notEqual(key, planCacheKey({ ...base, request: "restart api" }));
    assert.notEqual(key, planCacheKey({ ...base, request: { goal: "restart web" } }));
    assert.notEqual(
      planCacheKey({ ...base, request: { name: "Web" } }),
      planCacheKey({ ...base, request: { name: "web" } }),
      "structured values are not case-folded",
    );
  });
});

describe("PlanCache", () => {
  test("evicts the least recently used entry, counting hits and misses", () => {
    const cache = new PlanCache<string>(2);
    cache.set("a", "A");
    cache.set("b", "B");
    assert.equal(cache.get("a"), "A"); // a is now the most recently used
    cache.set("c", "C");
    assert.equal(cache.get("b"), undefined);
    assert.equal(cache.get("a"), "A");
    assert.equal(cache.get("c"), "C");
    assert.equal(cache.size, 2);
    assert.deepEqual(cache.stats(), { hits: 3, misses: 1, evictions: 1, size: 2, maxEntries: 2 });
  });

  test("setting an existing key replaces it without growing", () => {
    const cache = new PlanCache<number>(2);
    cache.set("a", 1);
    cache.set("a", 2);
    assert.equal(cache.size, 1);
    assert.equal(cache.get("a"), 2);
    cache.clear();
    assert.equal(cache.size, 0);
  });

  test("rejects a size that is not a positive integer", () => {
    assert.throws(() => new PlanCache(0), RangeError);
    assert.throws(() => new PlanCache(1.5), RangeError);
  });
});
