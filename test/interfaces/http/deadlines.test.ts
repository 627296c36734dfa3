import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { FixedDeadlines } from "../../../src/interfaces/http/deadlines.js";

test("fixed deadlines expire in the order they were set, each once, and never once cancelled", async () => {
  const expired: string[] = [];
  const deadlines = new FixedDeadlines<string>(5, (name) => expired.push(name));
  const set = new Map(["a", "b", "c", "d", "e"].map((name) => [name, deadlines.set(name)]));
  deadlines.cancel(set.get("b") ?? null);
  deadlines.cancel(set.get("a") ?? null);
  for (let i = 0; i < 100 && expired.length < 3; i++) await sleep(5);
  assert.deepEqual(expired, ["c", "d", "e"]);
  // Cancelling one that expired, or null, changes nothing.
  deadlines.cancel(set.get("c") ?? null);
  deadlines.cancel(null);
  // Set after the others expired: the queue starts over and still fires.
  deadlines.set("f");
  for (let i = 0; i < 100 && expired.length < 4; i++) await sleep(5);
  await sleep(20);
  assert.deepEqual(expired, ["c", "d", "e", "f"]);
});

test("thousands of deadlines cancelled in and out of order leave none behind to fire", async () => {
  let fired = 0;
  const deadlines = new FixedDeadlines<number>(5, () => fired++);
  const set = Array.from({ length: 10_000 }, (_, i) => deadlines.set(i));
  for (let i = 0; i < set.length; i += 2) deadlines.cancel(set[i] ?? null);
  for (let i = set.length - 1; i >= 0; i -= 2) deadlines.cancel(set[i] ?? null);
  await sleep(30);
  assert.equal(fired, 0);
});

test("a deadline set while the queue is emptied and refilled expires; cancelled ones around it do not", async () => {
  const expired: number[] = [];
  const deadlines = new FixedDeadlines<number>(5, (n) => expired.push(n));
  for (let round = 0; round < 3; round++) deadlines.cancel(deadlines.set(round));
  const kept = deadlines.set(99);
  deadlines.cancel(deadlines.set(100));
  for (let i = 0; i < 100 && expired.length < 1; i++) await sleep(5);
  await sleep(20);
  assert.deepEqual(expired, [99]);
  assert.equal(kept.subject, null, "an expired deadline holds no subject");
});
