import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { bearer, fetchRaw, field } from "./helpers.js";

// The kubelet's /logs endpoint through the node proxy: the node log query's parsing and validation
// (KEP-2258) over a journal made of what the node's kubelet did.
let sandbox: Sandbox;
let crashNode: string;
before(async () => {
  sandbox = await startSandbox();
  crashNode = String(field(sandbox.get("pods", "prod", "api-5f7c8d-abcde"), "spec.nodeName"));
});
after(() => sandbox.close());

const logs = (node: string, query: string) => fetchRaw(sandbox, `/api/v1/nodes/${node}/proxy/logs${query}`, { headers: bearer(sandbox) });

test("the kubelet unit's journal holds the node's kubelet events in journalctl short-precise form", async () => {
  const r = await logs(crashNode, "?query=kubelet");
  assert.equal(r.status, 200);
  const lines = r.body.trimEnd().split("\n");
  assert.ok(lines.length > 3);
  for (const line of lines) assert.match(line, new RegExp(`^[A-Z][a-z]{2} \\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6} ${crashNode} kubelet\\[\\d+\\]: I\\d{4} [\\d:.]+ +\\d+ event\\.go:\\d+\\] "Event occurred" `));
  assert.ok(lines.some((l) => l.includes('object="prod/api-5f7c8d-abcde"') && l.includes('reason="BackOff"')));
  const otherNodes = sandbox.list("nodes", undefined).map((n) => n.metadata.name).filter((n) => n !== crashNode);
  for (const node of otherNodes) assert.doesNotMatch((await logs(node, "?query=kubelet")).body, /api-5f7c8d-abcde/, `${node} did not run the pod`);
});

test("options narrow service logs as journalctl does", async () => {
  const all = (await logs(crashNode, "?query=kubelet")).body.trimEnd().split("\n");
  const cases: { query: string; expect: (lines: string[]) => void }[] = [
    { query: "&tailLines=2", expect: (l) => assert.deepEqual(l, all.slice(-2)) },
    { query: "&tailLines=0", expect: (l) => assert.deepEqual(l, ["-- No entries --"]) },
    { query: "&pattern=reason%3D%22BackOff%22", expect: (l) => assert.ok(l.length > 0 && l.every((x) => x.includes('reason="BackOff"'))) },
    // Lower-case patterns match case-insensitively, as journalctl --grep does; others exactly.
    { query: "&pattern=backoff", expect: (l) => assert.ok(l.length > 0 && l.every((x) => /backoff/i.test(x))) },
    { query: "&pattern=BACKOFF", expect: (l) => assert.deepEqual(l, ["-- No entries --"]) },
    { query: "&untilTime=2000-01-01T00:00:00Z", expect: (l) => assert.deepEqual(l, ["-- No entries --"]) },
    { query: "&sinceTime=2000-01-01T00:00:00Z", expect: (l) => assert.deepEqual(l, all) },
    { query: "&boot=-1", expect: (l) => assert.deepEqual(l, ["-- No entries --"]) },
  ];
  for (const c of cases) {
    const r = await logs(crashNode, `?query=kubelet${c.query}`);
    assert.equal(r.status, 200, c.query);
    c.expect(r.body.trimEnd().split("\n"));
  }
  assert.equal((await logs(crashNode, "?query=containerd")).body, "-- No entries --\n");
});

test("files under /var/log, the directory listing, and the kubelet's validation errors", async () => {
  const file = await logs(crashNode, "?query=/kubelet.log");
  assert.equal(file.status, 200);
  assert.match(file.body, /^I\d{4} .*"Event occurred"/);
  assert.equal((await logs(crashNode, "/kubelet.log")).body, file.body);
  assert.match((await logs(crashNode, "/")).body, /<a href="kubelet.log">kubelet.log<\/a>/);
  assert.equal((await logs(crashNode, "/secrets.txt")).status, 404);
  const invalid: [string, RegExp][] = [
    ["?query=/kubelet.log&tailLines=5", /cannot specify file with options/],
    ["?query=/etc/shadow", /stat \/var\/log\/etc\/shadow: no such file or directory/],
    ["?query=/../../etc/passwd", /no such file or directory/],
    ["?query=kubelet&query=/kubelet.log", /cannot specify a file and service/],
    ["?query=%20%20", /query cannot be empty/],
    ["?query=kubelet&tailLines=-1", /must be between 0 and 100000/],
    ["?query=kubelet&sinceTime=yesterday", /sinceTime: Invalid value: "yesterday": invalid time format/],
    ["?query=kubelet&boot=1", /must be less than 1/],
    ["?query=kubelet&pattern=(", /pattern: Invalid value/],
    // Catastrophic backtracking on every journal line: stopped by the time budget, not left to block the server.
    ["?query=kubelet&pattern=" + encodeURIComponent("^(.|.)*#$"), /pattern: Invalid value: ".*": took longer than 250 ms to match the journal/],
  ];
  for (const [query, message] of invalid) {
    const r = await logs(crashNode, query);
    assert.equal(r.status, 400, query);
    assert.match(r.body, message, query);
  }
  assert.equal((await logs("no-such-node", "?query=kubelet")).status, 404);
});
