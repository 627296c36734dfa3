import assert from "node:assert/strict";
import { test } from "node:test";
import { InFlight } from "../../src/core/in-flight.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("settled waits for tracked and started work, including work that starts while it waits, and failures count as settled", async () => {
  const inFlight = new InFlight();
  await inFlight.settled(); // nothing running: at once
  let finishFirst!: () => void;
  const first = new Promise<void>((resolve) => (finishFirst = resolve));
  assert.equal(inFlight.track(first), first, "track hands the work back");
  let failLater!: (error: Error) => void;
  const failing = new Promise<void>((_, reject) => (failLater = reject));
  inFlight.track(failing).catch(() => undefined);
  let done = false;
  void inFlight.settled().then(() => (done = true));
  inFlight.start();
  finishFirst();
  failLater(new Error("boom"));
  await tick();
  assert.equal(done, false, "a started operation is still running");
  inFlight.end();
  await tick();
  assert.equal(done, true);
});
