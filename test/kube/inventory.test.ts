import { test } from "node:test";
import assert from "node:assert/strict";
import { createInventory, inventoryArgv, parseInventory } from "../../src/kube/index.js";
import { loadPolicy, validateCommand } from "../../src/policy/index.js";
import type { KubectlRead } from "../../src/kube/index.js";

const LIST = JSON.stringify({
  kind: "List",
  items: [
    { kind: "Namespace", metadata: { name: "media" } },
    { kind: "Namespace", metadata: { name: "Bad_NS" } },
    { kind: "Node", metadata: { name: "nuc-01" } },
    {
      kind: "Deployment",
      metadata: { name: "jellyfin", namespace: "media" },
      spec: { replicas: 2, selector: { matchLabels: { "app.kubernetes.io/name": "jellyfin" } } },
    },
    { kind: "Deployment", metadata: { name: "evil;rm", namespace: "media" }, spec: { replicas: 1 } },
    { kind: "Deployment", metadata: { name: "expr", namespace: "media" }, spec: { selector: { matchLabels: { a: "b" }, matchExpressions: [{ key: "x" }] } } },
    { kind: "StatefulSet", metadata: { name: "postgres", namespace: "databases" }, spec: { replicas: 1 } },
    { kind: "DaemonSet", metadata: { name: "node-exporter", namespace: "monitoring" }, spec: {} },
    { kind: "Kustomization", metadata: { name: "apps", namespace: "flux-system" }, spec: {} },
    { kind: "Service", metadata: { name: "jellyfin", namespace: "media" }, spec: { selector: { app: "jellyfin" } } },
    { kind: "ReplicaSet", metadata: { name: "jellyfin-5f7", namespace: "media", ownerReferences: [{ kind: "Deployment", name: "jellyfin", controller: true }] } },
    { kind: "Pod", metadata: { name: "jellyfin-5f7-abcde", namespace: "media", ownerReferences: [{ kind: "ReplicaSet", name: "jellyfin-5f7", controller: true }] } },
    { kind: "Pod", metadata: { name: "postgres-0", namespace: "databases", ownerReferences: [{ kind: "StatefulSet", name: "postgres", controller: true }] } },
    { kind: "Pod", metadata: { name: "Bad Pod", namespace: "databases" } },
    "not an object",
  ],
});

test("parseInventory keeps valid names, selectors and owners, and counts what it dropped", () => {
  const inventory = parseInventory(LIST, 1);
  assert.ok(inventory.ok);
  assert.deepEqual([...inventory.namespaces], ["media"]);
  assert.deepEqual([...inventory.nodes], ["nuc-01"]);
  assert.deepEqual(
    inventory.objects.map((o) => `${o.kind}/${o.namespace}/${o.name}/${o.replicas ?? "-"}/${o.selector ?? "-"}`),
    [
      "deployment/media/jellyfin/2/app.kubernetes.io/name=jellyfin",
      "deployment/media/expr/-/-",
      "statefulset/databases/postgres/1/-",
      "daemonset/monitoring/node-exporter/-/-",
      "kustomization/flux-system/apps/-/-",
      "service/media/jellyfin/-/-",
    ],
  );
  assert.deepEqual([...inventory.pods], ["media/jellyfin-5f7-abcde", "databases/postgres-0"]);
  assert.deepEqual(inventory.podsByOwner.get("media/deployment/jellyfin"), ["jellyfin-5f7-abcde"]);
  assert.deepEqual(inventory.podsByOwner.get("databases/statefulset/postgres"), ["postgres-0"]);
  assert.equal(inventory.rejected, 4);
});

test("parseInventory merges several listings", () => {
  const merged = parseInventory([JSON.stringify({ items: [{ kind: "Namespace", metadata: { name: "a" } }] }), JSON.stringify({ items: [{ kind: "Namespace", metadata: { name: "b" } }] })], 0);
  assert.deepEqual(merged.ok ? [...merged.namespaces] : [], ["a", "b"]);
});

test("parseInventory refuses output that is not a Kubernetes List", () => {
  assert.equal(parseInventory("not json", 0).ok, false);
  assert.equal(parseInventory('{"kind":"Status"}', 0).ok, false);
});

function fakeRead(answers: (argv: readonly string[]) => { code: number; stdout: string }) {
  const calls: string[][] = [];
  const read: KubectlRead = async (argv) => {
    calls.push([...argv]);
    await new Promise((resolve) => setImmediate(resolve));
    return answers(argv);
  };
  return { read, calls };
}

const CLUSTER = JSON.stringify({ kind: "List", items: [{ kind: "Namespace", metadata: { name: "media" } }, { kind: "Node", metadata: { name: "nuc-01" } }] });
const answer = (argv: readonly string[]) => ({ code: 0, stdout: argv[1] === "namespaces,nodes" ? CLUSTER : LIST });

test("createInventory reads once per TTL (two calls), shares a read in flight and refreshes on a miss", async () => {
  let clock = 0;
  const { read, calls } = fakeRead(answer);
  const inventory = createInventory(read, { ttlMs: 10_000, minRefreshMs: 1_000, now: () => clock });
  const [a, b] = await Promise.all([inventory.snapshot(), inventory.snapshot()]);
  assert.equal(a, b);
  assert.ok(a.ok);
  assert.deepEqual([...a.namespaces], ["media"]);
  assert.deepEqual(calls, [inventoryArgv().cluster, inventoryArgv().namespaced]);
  clock = 500;
  await inventory.snapshot();
  await inventory.refresh(); // too soon after the last read
  assert.equal(calls.length, 2);
  clock = 2_000;
  await inventory.refresh();
  assert.equal(calls.length, 4);
  clock = 20_000;
  await inventory.snapshot();
  assert.equal(calls.length, 6);
});

test("createInventory drops Flux types a cluster does not serve and remembers what worked", async () => {
  const { read, calls } = fakeRead((argv) => (String(argv[1]).includes("fluxcd") ? { code: 1, stdout: "" } : answer(argv)));
  let clock = 0;
  const inventory = createInventory(read, { ttlMs: 10, now: () => clock });
  assert.ok((await inventory.snapshot()).ok);
  assert.equal(calls.length, 4, "the cluster-scoped read and three namespaced attempts");
  clock = 100;
  await inventory.snapshot();
  assert.equal(calls.length, 6, "the next read starts with the list that worked");
});

test("the inventory's reads are commands the bundled policy allows", () => {
  const policy = loadPolicy();
  const { cluster, namespaced } = inventoryArgv();
  for (const argv of [cluster, namespaced]) {
    const validation = validateCommand(["kubectl", ...argv].join(" "), policy);
    assert.equal(validation.decision, "allow", `${argv.join(" ")}: ${JSON.stringify(validation.reasons)}`);
  }
});

test("createInventory reports an unreachable cluster as a value", async () => {
  const inventory = createInventory(
    async () => {
      throw new Error("connection refused");
    },
    { ttlMs: 10 },
  );
  const result = await inventory.snapshot();
  assert.equal(result.ok, false);
  assert.match(result.ok ? "" : result.reason, /connection refused/);
});
