import assert from "node:assert/strict";
import { test } from "node:test";
import { newRequestId } from "../../../src/interfaces/http/request-ids.js";
import { RunningCount } from "../../../src/interfaces/http/running.js";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test("request ids are version 4 UUIDs in lower-case hex, all different, across refills of the random pool", () => {
  const ids = Array.from({ length: 1000 }, () => newRequestId());
  for (const id of ids) assert.match(id, UUID_V4);
  assert.equal(new Set(ids).size, ids.length);
  // Every random hex position varies (a pool handed out twice, or never refilled, would show here).
  for (const at of [0, 9, 15, 20, 35]) assert.ok(new Set(ids.map((id) => id[at])).size >= 12, `position ${at} varies`);
});

test("a running count is idle at once when nothing runs, and once the last started operation ends", async () => {
  const running = new RunningCount();
  await running.idle();
  running.start();
  running.start();
  let idle = false;
  const waited = running.idle().then(() => (idle = true));
  running.end();
  await Promise.resolve();
  assert.equal(idle, false, "one operation still runs");
  running.end();
  await waited;
  assert.equal(idle, true);
});
