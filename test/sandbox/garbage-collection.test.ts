import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bearer, fetchRaw, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

/** Background cascading deletion, as the API server's garbage collector does it: an object goes once every owner is gone. */
let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const uidOf = (kind: string, namespace: string, name: string): string => h.sandbox.get(kind, namespace, name)?.metadata.uid ?? "";
const owner = (kind: string, name: string, uid: string) => ({ apiVersion: "apps/v1", kind, name, uid });

async function configMap(name: string, owners: { apiVersion: string; kind: string; name: string; uid: string }[]): Promise<void> {
  const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "dev", ownerReferences: owners }, data: { a: "b" } });
  const created = await fetchRaw(h.sandbox, "/api/v1/namespaces/dev/configmaps", { method: "POST", headers: { ...bearer(h.sandbox), "Content-Type": "application/json" }, body });
  assert.equal(created.status, 201, created.body);
}

/** A request settles whatever the controllers still owe; then the store is read. */
async function exists(name: string): Promise<boolean> {
  const got = await fetchRaw(h.sandbox, `/api/v1/namespaces/dev/configmaps/${name}`, { headers: bearer(h.sandbox) });
  return got.status === 200;
}

test("deleting a deployment takes its ReplicaSets and their pods with it", async () => {
  const uid = uidOf("deployments", "dev", "web");
  const owned = h.sandbox.list("replicasets", "dev").filter((rs) => rs.metadata.ownerReferences?.some((r) => r.uid === uid));
  assert.ok(owned.length > 0, "the fixture's deployment owns ReplicaSets");
  await h.ok("delete", "deployment", "web", "-n", "dev");
  await h.ok("get", "pods", "-n", "dev");
  const rsNames = new Set(owned.map((rs) => rs.metadata.name));
  assert.deepEqual(h.sandbox.list("replicasets", "dev").filter((rs) => rsNames.has(rs.metadata.name)), []);
  const orphans = h.sandbox.list("pods", "dev").filter((p) => p.metadata.ownerReferences?.some((r) => owned.some((rs) => rs.metadata.uid === r.uid)));
  assert.deepEqual(orphans, []);
});

test("owners gone, present, some gone, or dropped: the table of what is collected", async () => {
  const api = uidOf("deployments", "dev", "api");
  assert.ok(api, "the fixture has dev/api");
  const cases: [string, { apiVersion: string; kind: string; name: string; uid: string }[], boolean][] = [
    ["owner-never-existed", [owner("Deployment", "ghost", "00000000-0000-0000-0000-000000000000")], false],
    ["owner-alive", [owner("Deployment", "api", api)], true],
    ["one-of-two-owners-alive", [owner("Deployment", "ghost", "00000000-0000-0000-0000-000000000001"), owner("Deployment", "api", api)], true],
  ];
  for (const [name, owners] of cases) await configMap(name, owners);
  for (const [name, , kept] of cases) assert.equal(await exists(name), kept, name);
  // Orphaned on purpose (its owner reference removed): it outlives its former owner.
  const patched = await fetchRaw(h.sandbox, "/api/v1/namespaces/dev/configmaps/owner-alive", {
    method: "PATCH",
    headers: { ...bearer(h.sandbox), "Content-Type": "application/merge-patch+json" },
    body: JSON.stringify({ metadata: { ownerReferences: null } }),
  });
  assert.equal(patched.status, 200, patched.body);
  await h.ok("delete", "deployment", "api", "-n", "dev");
  assert.equal(await exists("owner-alive"), true, "orphaned before its owner went");
  assert.equal(await exists("one-of-two-owners-alive"), false, "its last live owner went");
});
