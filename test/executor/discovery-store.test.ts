import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { createDiscovery } from "../../src/executor/api/discovery.js";
import { DISCOVERY_TTL_MS, discoveryStoreAt } from "../../src/executor/api/discovery-store.js";
import type { ResourceInfo } from "../../src/executor/api/discovery.js";
import type { ApiRequest, Target } from "../../src/executor/api/target.js";

const work = mkdtempSync(join(tmpdir(), "rag-k8s-discovery-store-"));
after(() => rmSync(work, { recursive: true, force: true }));

const SERVER = new URL("https://10.0.0.1:6443/");
const POD: ResourceInfo = { group: "", version: "v1", resource: "pods", singular: "pod", kind: "Pod", namespaced: true, shortNames: ["po"], subresources: ["log"] };
const WIDGET: ResourceInfo = { group: "example.com", version: "v1", resource: "widgets", singular: "widget", kind: "Widget", namespaced: true, shortNames: [], subresources: [] };

/** An API server that serves aggregated discovery for `served`, and counts the requests it was sent. */
function fakeTarget(served: () => readonly ResourceInfo[]): Target & { paths: string[] } {
  const paths: string[] = [];
  const group = (name: string, rs: readonly ResourceInfo[]) => ({
    metadata: { name },
    versions: [{ version: "v1", resources: rs.map((r) => ({ resource: r.resource, responseKind: { kind: r.kind }, scope: r.namespaced ? "Namespaced" : "Cluster", singularResource: r.singular, shortNames: r.shortNames, subresources: r.subresources.map((subresource) => ({ subresource })) })) }],
  });
  return {
    server: SERVER,
    paths,
    async request(req: ApiRequest) {
      paths.push(req.path);
      const all = served();
      const items = req.path === "/api" ? [group("", all.filter((r) => r.group === ""))] : [...new Set(all.filter((r) => r.group !== "").map((r) => r.group))].map((g) => group(g, all.filter((r) => r.group === g)));
      return { status: 200, headers: {}, body: JSON.stringify({ kind: "APIGroupDiscoveryList", items }) };
    },
    stream: () => Promise.reject(new Error("no watch here")),
    close() {},
  };
}
const signal = new AbortController().signal;

test("a store round-trips what discovery read, for this server only, within its time to live", () => {
  let now = 1_000_000;
  const dir = join(work, "a");
  const store = discoveryStoreAt(dir, SERVER, { now: () => now });
  assert.equal(store.read(), undefined, "nothing saved yet");
  store.write([POD]);
  assert.deepEqual(store.read(), [POD]);
  assert.equal(discoveryStoreAt(dir, new URL("https://10.0.0.2:6443/"), { now: () => now }).read(), undefined, "another server's entry");
  now += DISCOVERY_TTL_MS - 1;
  assert.deepEqual(store.read(), [POD]);
  now += 1;
  assert.equal(store.read(), undefined, "expired");
});

test("an entry that is not what the store writes reads as a miss", () => {
  const dir = join(work, "b");
  const store = discoveryStoreAt(dir, SERVER);
  store.write([POD]);
  const [file] = readdirSync(dir);
  assert.ok(file);
  for (const text of ["{", "null", JSON.stringify({ server: SERVER.href, savedAt: Date.now(), resources: [{ resource: "pods" }] }), JSON.stringify({ server: "https://evil/", savedAt: Date.now(), resources: [POD] })]) {
    writeFileSync(join(dir, file), text);
    assert.equal(store.read(), undefined, text);
  }
});

test("discovery answers from the store without asking the server, and asks again for a name the store does not know", async () => {
  const dir = join(work, "c");
  let served: ResourceInfo[] = [POD];
  const first = fakeTarget(() => served);
  assert.deepEqual(await createDiscovery(first, discoveryStoreAt(dir, SERVER)).resolve("po", signal), POD);
  assert.deepEqual(first.paths, ["/api", "/apis"], "the first process reads the server and saves what it read");

  served = [POD, WIDGET];
  const second = fakeTarget(() => served);
  const discovery = createDiscovery(second, discoveryStoreAt(dir, SERVER));
  assert.deepEqual(await discovery.resolve("pods", signal), POD);
  assert.deepEqual(second.paths, [], "a later process answers from the store");
  assert.deepEqual(await discovery.resolve("widgets.example.com", signal), WIDGET, "a name the store lacks is read from the server");
  assert.deepEqual(second.paths, ["/api", "/apis"]);
  assert.equal(await discovery.resolve("gadgets", signal), undefined, "unknown to a fresh read too: no second read");
  assert.deepEqual(second.paths, ["/api", "/apis"]);

  const third = fakeTarget(() => served);
  assert.deepEqual(await createDiscovery(third, discoveryStoreAt(dir, SERVER)).resolve("widget", signal), WIDGET);
  assert.deepEqual(third.paths, [], "the refreshed list was saved");
});
