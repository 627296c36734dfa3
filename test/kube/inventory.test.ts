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

function fakeRead(answers: (argv: readonly string[]) => { code: number; stdout: string }) {
  const calls: string[][] = [];
  const read: KubectlRead = async (argv) => {
    calls.push([...argv]);
    await new Promise((resolve) => setImmediate(resolve));
    return answers(argv);
  };
  return { read, calls };
}

const FLUX_KINDS = /fluxcd\.io/;
const HELM_KINDS = /helm\.toolkit/;
const answer = () => ({ code: 0, stdout: LIST });
/** A cluster that serves only some kinds: kubectl fails the whole `get` when one type is unknown. */
const serving = (unknown: RegExp) => (argv: readonly string[]) => (unknown.test(String(argv[1])) ? { code: 1, stdout: "" } : answer());

test("createInventory reads everything in one call per TTL, shares a read in flight and refreshes on a miss at most once per minRefreshMs", async () => {
  let clock = 0;
  const { read, calls } = fakeRead(answer);
  const inventory = createInventory(read, { ttlMs: 10_000, minRefreshMs: 1_000, now: () => clock });
  const [a, b] = await Promise.all([inventory.snapshot(), inventory.snapshot()]);
  assert.equal(a, b);
  assert.ok(a.ok);
  assert.deepEqual([...a.namespaces], ["media"]);
  assert.deepEqual(calls, [inventoryArgv()]);
  const rows: readonly (readonly [number, "snapshot" | "refresh", number])[] = [
    [500, "snapshot", 1], // within the TTL
    [600, "refresh", 1], // a miss too soon after the last read
    [900, "refresh", 1],
    [2_000, "refresh", 2], // a miss: read again
    [2_100, "refresh", 2], // and not again at once
    [5_000, "snapshot", 2], // the refresh restarted the TTL
    [11_999, "snapshot", 2],
    [12_000, "snapshot", 3], // the TTL ran out
  ];
  for (const [at, call, expected] of rows) {
    clock = at;
    await inventory[call]();
    assert.equal(calls.length, expected, `${call} at ${at} ms`);
  }
  // Many goals at once, past the TTL: still one read.
  clock = 30_000;
  await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? inventory.snapshot() : inventory.refresh())));
  assert.equal(calls.length, 4);
  assert.ok(calls.every((argv) => argv.join(" ") === inventoryArgv().join(" ")));
});

test("createInventory on a cluster without Flux (or its Helm controller): narrower lists once, then one call per TTL, the full list again after discoveryTtlMs", async () => {
  const rows = [
    { cluster: "no Flux", unknown: FLUX_KINDS, firstRead: 3, keeps: "kustomizations" as const },
    { cluster: "Flux without helm-controller", unknown: HELM_KINDS, firstRead: 2, keeps: "helmreleases" as const },
  ];
  for (const row of rows) {
    let clock = 0;
    const { read, calls } = fakeRead(serving(row.unknown));
    const inventory = createInventory(read, { ttlMs: 10, minRefreshMs: 5, discoveryTtlMs: 1_000, now: () => clock });
    assert.ok((await inventory.snapshot()).ok, row.cluster);
    assert.equal(calls.length, row.firstRead, `${row.cluster}: the first read tries narrower lists`);
    const worked = calls.at(-1)?.[1] ?? "";
    assert.equal(row.unknown.test(worked), false, row.cluster);
    for (let t = 1; t <= 5; t++) {
      clock = 100 * t;
      await inventory.snapshot();
      await inventory.refresh();
    }
    assert.equal(calls.length, row.firstRead + 5, `${row.cluster}: one call per TTL once the list is known`);
    assert.ok(calls.slice(row.firstRead).every((argv) => argv[1] === worked), row.cluster);
    clock = 1_200;
    await inventory.snapshot();
    assert.equal(calls[row.firstRead + 5]?.[1], inventoryArgv()[1], `${row.cluster}: after discoveryTtlMs the full list is tried again`);
    assert.equal(calls.length, 2 * row.firstRead + 5, row.cluster);
  }
});

test("createInventory sees Flux installed since: the full list is tried again after discoveryTtlMs", async () => {
  let clock = 0;
  let flux = false;
  const { read, calls } = fakeRead((argv) => (flux ? answer() : serving(FLUX_KINDS)(argv)));
  const inventory = createInventory(read, { ttlMs: 10, discoveryTtlMs: 1_000, now: () => clock });
  await inventory.snapshot();
  flux = true;
  clock = 500;
  await inventory.snapshot();
  assert.equal(FLUX_KINDS.test(String(calls.at(-1)?.[1])), false, "within discoveryTtlMs the narrower list is used");
  clock = 1_500;
  await inventory.snapshot();
  assert.equal(calls.at(-1)?.join(" "), inventoryArgv().join(" "));
  assert.equal(calls.length, 5);
});

test("the inventory's reads are commands the bundled policy allows", () => {
  const policy = loadPolicy();
  for (const types of [undefined, ["namespaces", "nodes", "deployments", "pods"]]) {
    const argv = inventoryArgv(types);
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
