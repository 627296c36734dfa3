import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, test } from "node:test";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { bearer, fetchRaw } from "./helpers.js";

// Watch bookmarks (allowWatchBookmarks) and streaming lists (sendInitialEvents), as the API server
// serves them; bookmarks come every 40 ms here instead of every minute.
let sb: Sandbox;
before(async () => {
  sb = await startSandbox({ watchBookmarkMs: 40 });
});
after(() => sb.close());

interface WatchEvent {
  type: string;
  object: { kind: string; apiVersion: string; metadata: { name?: string; resourceVersion: string; annotations?: Record<string, string> } };
}

/** A watch read until it ends (timeoutSeconds) or `until` holds. */
function watchUntil(path: string, until: (events: WatchEvent[]) => boolean): Promise<{ status: number; events: WatchEvent[] }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sb.url), { headers: bearer(sb), ca: sb.ca }, (res) => {
      let text = "";
      const parse = (): WatchEvent[] => text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as WatchEvent);
      res.on("data", (c: Buffer) => {
        text += c.toString("utf8");
        if (res.statusCode === 200 && until(parse())) {
          req.destroy();
          resolve({ status: 200, events: parse() });
        }
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, events: res.statusCode === 200 ? parse() : [JSON.parse(text) as WatchEvent] }));
    });
    req.on("error", reject);
    req.end();
  });
}

const currentRv = async (): Promise<number> => Number((JSON.parse((await fetchRaw(sb, "/api/v1/namespaces/dev/configmaps", { headers: bearer(sb) })).body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion);

test("allowWatchBookmarks brings periodic BOOKMARK events with the kind and the current resourceVersion only", async () => {
  const rv = await currentRv();
  const { events } = await watchUntil(`/api/v1/namespaces/dev/configmaps?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=5`, (e) => e.filter((x) => x.type === "BOOKMARK").length >= 2);
  const bookmarks = events.filter((e) => e.type === "BOOKMARK");
  assert.ok(bookmarks.length >= 2);
  for (const b of bookmarks) assert.deepEqual(b.object, { kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: String(rv) } });
  assert.equal(events.length, bookmarks.length, "nothing changed, so nothing but bookmarks");
  const plain = await watchUntil(`/api/v1/namespaces/dev/configmaps?watch=true&resourceVersion=${rv}&timeoutSeconds=1`, () => false);
  assert.deepEqual(plain.events, [], "no bookmarks unless asked");
});

test("a watch resumed from a bookmark's resourceVersion misses no change", async () => {
  const { events } = await watchUntil(`/apis/apps/v1/namespaces/prod/deployments?watch=true&resourceVersion=${await currentRv()}&allowWatchBookmarks=true&timeoutSeconds=5`, (e) => e.some((x) => x.type === "BOOKMARK"));
  const from = events.find((e) => e.type === "BOOKMARK")?.object.metadata.resourceVersion ?? "";
  const patched = await fetchRaw(sb, "/apis/apps/v1/namespaces/prod/deployments/web", { method: "PATCH", headers: { ...bearer(sb), "Content-Type": "application/merge-patch+json" }, body: JSON.stringify({ metadata: { labels: { bookmarked: "yes" } } }) });
  assert.equal(patched.status, 200);
  const resumed = await watchUntil(`/apis/apps/v1/namespaces/prod/deployments?watch=true&resourceVersion=${from}&timeoutSeconds=5`, (e) => e.some((x) => x.object.metadata.name === "web"));
  assert.equal(resumed.events.find((e) => e.object.metadata.name === "web")?.type, "MODIFIED");
});

test("sendInitialEvents=true streams the current objects, then a bookmark annotated k8s.io/initial-events-end", async () => {
  const names = sb.list("configmaps", "dev").map((c) => c.metadata.name).sort();
  const { events } = await watchUntil("/api/v1/namespaces/dev/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=5", (e) => e.some((x) => x.type === "BOOKMARK"));
  const end = events.findIndex((e) => e.type === "BOOKMARK");
  assert.deepEqual(events.slice(0, end).map((e) => [e.type, e.object.metadata.name]), names.map((n) => ["ADDED", n]));
  assert.deepEqual(events[end]?.object.metadata, { resourceVersion: String(await currentRv()), annotations: { "k8s.io/initial-events-end": "true" } });
  const none = await watchUntil("/api/v1/namespaces/dev/configmaps?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=1", () => false);
  assert.deepEqual(none.events, [], "sendInitialEvents=false starts from now");
});

test("watch list options are validated as the API server does", async () => {
  const cases: [string, string][] = [
    ["sendInitialEvents=true", 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan'],
    ["resourceVersionMatch=NotOlderThan", 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided'],
    [
      "sendInitialEvents=true&resourceVersionMatch=Exact",
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan"]',
    ],
  ];
  for (const [query, message] of cases) {
    const r = await fetchRaw(sb, `/api/v1/namespaces/dev/configmaps?watch=true&${query}`, { headers: bearer(sb) });
    assert.equal(r.status, 422, query);
    const status = JSON.parse(r.body) as { reason: string; message: string; details: { kind: string; group: string } };
    assert.equal(status.reason, "Invalid");
    assert.equal(status.message, message);
    assert.deepEqual([status.details.group, status.details.kind], ["meta.k8s.io", "ListOptions"]);
  }
});
