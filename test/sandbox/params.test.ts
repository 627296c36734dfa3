import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { boolParam } from "../../src/sandbox/params.js";
import { bearer, fetchRaw } from "./helpers.js";

let sb: Sandbox;
before(async () => {
  sb = await startSandbox();
});
after(async () => {
  await sb.close();
});

test("boolean query parameters read as the API server's parameter codec reads them", () => {
  const cases: [string, boolean][] = [
    ["", false], // absent
    ["?watch=true", true],
    ["?watch=True", true],
    ["?watch=TRUE", true],
    ["?watch=1", true],
    ["?watch=t", true],
    ["?watch=T", true],
    ["?watch=", true], // present but empty is true, as in Go
    ["?watch=yes", true],
    ["?watch=false", false],
    ["?watch=False", false],
    ["?watch=FALSE", false],
    ["?watch=0", false],
    ["?watch=0&watch=1", false], // the first value decides
  ];
  for (const [query, want] of cases) assert.equal(boolParam(new URLSearchParams(query), "watch"), want, query);
});

test("watch=True streams events and previous=True serves the previous container's log (python client casing)", async () => {
  const watch = await fetchRaw(sb, "/api/v1/namespaces/dev/configmaps?watch=True&timeoutSeconds=1", { headers: bearer(sb) });
  assert.equal(watch.status, 200);
  const events = watch.body.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { type: string });
  assert.ok(events.length > 0 && events.every((e) => e.type === "ADDED"), watch.body.slice(0, 200));
  const logs = (query: string) => fetchRaw(sb, `/api/v1/namespaces/prod/pods/api-5f7c8d-abcde/log${query}`, { headers: bearer(sb) });
  const previous = await logs("?previous=True");
  const current = await logs("?previous=False");
  assert.equal(previous.status, 200);
  assert.match(previous.body, /panic/);
  assert.notEqual(previous.body, current.body);
});
