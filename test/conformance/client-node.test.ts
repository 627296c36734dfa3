import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, Metrics, PatchStrategy, Watch, setHeaderOptions, topPods } from "@kubernetes/client-node";
import { cluster } from "./harness.js";
import type { Cluster } from "./harness.js";

// The official JavaScript client (1.x; 2.x needs Node 22) against the sandbox, over its kubeconfig.
let c: Cluster;
let kc: KubeConfig;
let core: CoreV1Api;
let apps: AppsV1Api;
before(async () => {
  c = await cluster();
  kc = new KubeConfig();
  kc.loadFromFile(c.kubeconfig);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
after(async () => {
  await c.close();
});

test("list and get", async () => {
  const pods = await core.listPodForAllNamespaces();
  assert.ok(pods.items.some((p) => p.metadata?.namespace === "prod" && p.metadata.name === "api-5f7c8d-abcde"));
  const selected = await core.listNamespacedPod({ namespace: "data", labelSelector: "app.kubernetes.io/name=postgres" });
  assert.deepEqual(selected.items.map((p) => p.metadata?.name).sort(), ["postgres-0", "postgres-1"]);
  const web = await apps.readNamespacedDeployment({ name: "web", namespace: "prod" });
  assert.equal(web.spec?.replicas, 2);
  assert.equal(web.status?.readyReplicas, 2);
});

test("watch delivers an event for a change made while it runs", async () => {
  let settle: { resolve: (phase: string) => void; reject: (error: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const seen = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  const controller = await new Watch(kc).watch(
    "/api/v1/namespaces/dev/configmaps",
    {},
    (phase, obj: { metadata?: { name?: string } }) => {
      if (obj.metadata?.name === "watched-by-client-node") settle.resolve(phase);
    },
    (err: unknown) => {
      if (err) settle.reject(err instanceof Error ? err : new Error(String(err)));
    },
  );
  await core.createNamespacedConfigMap({ namespace: "dev", body: { metadata: { name: "watched-by-client-node" }, data: { a: "b" } } });
  try {
    assert.equal(await seen, "ADDED");
  } finally {
    controller.abort();
  }
});

test("a streaming-list watch (sendInitialEvents) delivers the namespace's objects, then the initial-events-end bookmark", async () => {
  const expected = c.sandbox.list("secrets", "prod").map((s) => s.metadata.name).sort();
  const seen: [string, string | undefined][] = [];
  let settle: { resolve: (annotations: Record<string, string> | undefined) => void; reject: (error: Error) => void } = { resolve: () => undefined, reject: () => undefined };
  const ended = new Promise<Record<string, string> | undefined>((resolve, reject) => (settle = { resolve, reject }));
  const controller = await new Watch(kc).watch(
    "/api/v1/namespaces/prod/secrets",
    { allowWatchBookmarks: true, sendInitialEvents: true, resourceVersionMatch: "NotOlderThan" },
    (phase, obj: { metadata?: { name?: string; annotations?: Record<string, string> } }) => {
      if (phase === "BOOKMARK") settle.resolve(obj.metadata?.annotations);
      else seen.push([phase, obj.metadata?.name]);
    },
    (err: unknown) => {
      if (err) settle.reject(err instanceof Error ? err : new Error(String(err)));
    },
  );
  try {
    assert.deepEqual(await ended, { "k8s.io/initial-events-end": "true" });
    assert.deepEqual(seen, expected.map((name) => ["ADDED", name]));
  } finally {
    controller.abort();
  }
});

test("merge patch, server-side apply with field manager, and delete", async () => {
  await apps.patchNamespacedDeployment({ name: "web", namespace: "prod", body: { metadata: { labels: { conformance: "client-node" } } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  assert.equal((await apps.readNamespacedDeployment({ name: "web", namespace: "prod" })).metadata?.labels?.["conformance"], "client-node");

  const applied = await core.patchNamespacedConfigMap(
    { name: "applied", namespace: "dev", fieldManager: "client-node", body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied", namespace: "dev" }, data: { k: "v" } } },
    setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply),
  );
  assert.equal(applied.data?.["k"], "v");
  assert.deepEqual(applied.metadata?.managedFields?.map((m) => [m.manager, m.operation]), [["client-node", "Apply"]]);

  await core.deleteNamespacedConfigMap({ name: "applied", namespace: "dev" });
  await assert.rejects(core.readNamespacedConfigMap({ name: "applied", namespace: "dev" }), (error: unknown) => error instanceof ApiException && error.code === 404);
});

test("logs, scale, events and top", async () => {
  const previous = await core.readNamespacedPodLog({ name: "api-5f7c8d-abcde", namespace: "prod", previous: true });
  assert.match(String(previous), /panic: runtime error/);
  await apps.patchNamespacedDeploymentScale({ name: "web", namespace: "prod", body: { spec: { replicas: 4 } } }, setHeaderOptions("Content-Type", PatchStrategy.MergePatch));
  const scale = await apps.readNamespacedDeploymentScale({ name: "web", namespace: "prod" });
  assert.equal(scale.spec?.replicas, 4);
  assert.equal(scale.status?.replicas, 4);
  const warnings = await core.listNamespacedEvent({ namespace: "prod", fieldSelector: "type=Warning" });
  assert.ok(warnings.items.some((e) => e.reason === "BackOff" && e.involvedObject.name === "api-5f7c8d-abcde"));
  const top = await topPods(core, new Metrics(kc), "data");
  const postgres = top.find((p) => p.Pod.metadata?.name === "postgres-0");
  assert.ok(postgres, "postgres-0 has metrics");
  assert.equal(Number(postgres.CPU.CurrentUsage), 0.08);
});
