import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { FixedDeadlines } from "../../../src/interfaces/http/deadlines.js";

test("fixed deadlines expire in the order they were set, each once, and never once cancelled", async () => {
  const deadlines = new FixedDeadlines(5);
  const expired: string[] = [];
  const cancel = new Map(["a", "b", "c", "d", "e"].map((name) => [name, deadlines.set(() => expired.push(name))]));
  cancel.get("b")?.();
  cancel.get("a")?.();
  for (let i = 0; i < 100 && expired.length < 3; i++) await sleep(5);
  assert.deepEqual(expired, ["c", "d", "e"]);
  cancel.get("c")?.();
  // Set after the others expired: the queue starts over and still fires.
  deadlines.set(() => expired.push("f"));
  for (let i = 0; i < 100 && expired.length < 4; i++) await sleep(5);
  await sleep(20);
  assert.deepEqual(expired, ["c", "d", "e", "f"]);
});

test("thousands of deadlines cancelled in and out of order leave none behind to fire", async () => {
  const deadlines = new FixedDeadlines(5);
  let fired = 0;
  const cancels = Array.from({ length: 10_000 }, () => deadlines.set(() => fired++));
  for (let i = 0; i < cancels.length; i += 2) cancels[i]?.();
  for (let i = cancels.length - 1; i >= 0; i -= 2) cancels[i]?.();
  await sleep(30);
  assert.equal(fired, 0);
});
