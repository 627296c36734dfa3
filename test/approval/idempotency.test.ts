import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createIdempotencyStore, IdempotencyKeySchema, requestDigest, type IdempotencyId } from "../../src/approval/index.js";

function id(key: string, request: unknown = { intent: "restart", name: "web" }, client = "alice"): IdempotencyId {
  return { key, client, requestDigest: requestDigest(request) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("idempotency store", () => {
  it("answers a retried write from the first run", async () => {
    const store = createIdempotencyStore<string>();
    let runs = 0;
    const work = async () => `run ${++runs}`;
    assert.deepEqual(await store.run(id("k1"), work), { kind: "first", value: "run 1" });
    assert.deepEqual(await store.run(id("k1"), work), { kind: "replayed", value: "run 1" });
    assert.equal(runs, 1);
  });

  it("the same key with another request is a conflict, finished or in flight", async () => {
    const store = createIdempotencyStore<string>();
    await store.run(id("k1"), async () => "done");
    const finished = await store.run(id("k1", { intent: "restart", name: "api" }), async () => "never");
    assert.equal(finished.kind, "conflict");
    assert.match(finished.kind === "conflict" ? finished.message : "", /different request/);
    const gate = deferred<string>();
    const first = store.run(id("k2"), () => gate.promise);
    assert.equal((await store.run(id("k2", { other: true }), async () => "never")).kind, "conflict");
    gate.resolve("ok");
    assert.deepEqual(await first, { kind: "first", value: "ok" });
  });

  it("keys of different clients never meet", async () => {
    const store = createIdempotencyStore<string>();
    await store.run(id("k1", {}, "alice"), async () => "alice's");
    assert.deepEqual(await store.run(id("k1", { other: 1 }, "bob"), async () => "bob's"), { kind: "first", value: "bob's" });
    // A client name containing the separator cannot impersonate another (client, key) pair.
    assert.equal((await store.run({ key: "k1", client: 'alice","k1', requestDigest: requestDigest({}) }, async () => "x")).kind, "first");
  });

  it("duplicates arriving while the first runs wait for it and get its answer", async () => {
    const store = createIdempotencyStore<string>();
    const gate = deferred<string>();
    let runs = 0;
    const work = () => {
      runs++;
      return gate.promise;
    };
    const calls = Array.from({ length: 10 }, () => store.run(id("k1"), work));
    gate.resolve("answer");
    const outcomes = await Promise.all(calls);
    assert.equal(runs, 1);
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ["first", ...Array(9).fill("replayed")]);
    assert.ok(outcomes.every((o) => "value" in o && o.value === "answer"));
  });

  it("a run that throws is not remembered; those waiting on it get the same error", async () => {
    const store = createIdempotencyStore<string>();
    const gate = deferred<string>();
    const first = store.run(id("k1"), () => gate.promise);
    const waiting = store.run(id("k1"), async () => "never");
    const boom = new Error("audit log not writable");
    gate.reject(boom);
    await assert.rejects(first, (e) => e === boom);
    await assert.rejects(waiting, (e) => e === boom);
    assert.deepEqual(await store.run(id("k1"), async () => "second try"), { kind: "first", value: "second try" });
  });

  it("forgets answers after the TTL", async () => {
    let now = 0;
    const store = createIdempotencyStore<string>({ ttlMs: 1000, now: () => now });
    await store.run(id("k1"), async () => "one");
    now = 999;
    assert.equal((await store.run(id("k1"), async () => "two")).kind, "replayed");
    now = 1000;
    assert.deepEqual(await store.run(id("k1"), async () => "two"), { kind: "first", value: "two" });
  });

  it("is bounded by count and by bytes, dropping the oldest answers first", async () => {
    const byCount = createIdempotencyStore<string>({ maxEntries: 3 });
    for (let i = 0; i < 5; i++) await byCount.run(id(`k${i}`), async () => `v${i}`);
    assert.equal(byCount.size, 3);
    assert.equal((await byCount.run(id("k4"), async () => "x")).kind, "replayed");
    assert.equal((await byCount.run(id("k0"), async () => "x")).kind, "first");

    const byBytes = createIdempotencyStore<string>({ maxBytes: 1000, weigh: (v) => v.length });
    for (let i = 0; i < 4; i++) await byBytes.run(id(`k${i}`), async () => "x".repeat(300));
    assert.equal(byBytes.size, 3);
    assert.equal((await byBytes.run(id("big"), async () => "y".repeat(5000))).kind, "first");
    assert.equal(byBytes.size, 1, "an answer over the whole budget is kept alone");
    assert.equal((await byBytes.run(id("big"), async () => "z")).kind, "replayed");
  });

  it("refuses to track more runs in flight than maxEntries", async () => {
    const store = createIdempotencyStore<string>({ maxEntries: 2 });
    const gate = deferred<string>();
    const running = [store.run(id("a"), () => gate.promise), store.run(id("b"), () => gate.promise)];
    const third = await store.run(id("c"), async () => "never");
    assert.equal(third.kind, "busy");
    gate.resolve("ok");
    await Promise.all(running);
  });

  it("validates its options", () => {
    assert.throws(() => createIdempotencyStore({ ttlMs: 0 }), RangeError);
    assert.throws(() => createIdempotencyStore({ maxEntries: 1.5 }), RangeError);
  });
});

describe("requestDigest", () => {
  it("ignores key order and undefined fields, and nothing else", () => {
    const a = requestDigest({ intent: "scale", params: { replicas: 0, kind: "deployment" }, name: "web" });
    assert.equal(a, requestDigest({ name: "web", params: { kind: "deployment", replicas: 0 }, intent: "scale", goal: undefined }));
    assert.notEqual(a, requestDigest({ intent: "scale", params: { replicas: "0", kind: "deployment" }, name: "web" }));
    assert.notEqual(a, requestDigest({ intent: "scale", params: { replicas: 0, kind: "deployment" }, name: "web", namespace: "prod" }));
    assert.notEqual(requestDigest(["a", "b"]), requestDigest(["b", "a"]));
  });
});

describe("IdempotencyKeySchema", () => {
  const cases: [string, boolean][] = [
    ["0f8fad5b-d9cb-469f-a165-70867728950e", true],
    ["retry:42/x", true],
    ["a".repeat(255), true],
    ["", false],
    ["a".repeat(256), false],
    ["has space", false],
    ["line\nbreak", false],
    ["ключ", false],
  ];
  for (const [key, valid] of cases) {
    it(`${valid ? "accepts" : "refuses"} ${JSON.stringify(key.length > 20 ? `${key.slice(0, 10)}…(${key.length})` : key)}`, () => {
      assert.equal(IdempotencyKeySchema.safeParse(key).success, valid);
    });
  }
});
