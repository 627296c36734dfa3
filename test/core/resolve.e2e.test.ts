import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { RequestValidationError } from "../../src/core/errors.js";
import type { SeedDocument } from "../../src/sandbox/index.js";
import { startHarness } from "./harness.js";
import type { Harness } from "./harness.js";

type Obj = { apiVersion: string; kind: string; metadata: { name: string; [key: string]: unknown }; [key: string]: unknown };

function pod(name: string, labels: Record<string, string>, created: string, ready: boolean, extra: { owner?: Record<string, unknown>; deleting?: boolean; waiting?: string } = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "staging",
      labels,
      creationTimestamp: created,
      ...(extra.deleting ? { deletionTimestamp: "2026-01-01T00:00:00Z", deletionGracePeriodSeconds: 30 } : {}),
      ...(extra.owner ? { ownerReferences: [extra.owner] } : {}),
    },
    spec: { nodeName: "worker-1", containers: [{ name: "app", image: "registry.example.com/app:1.0" }] },
    status: {
      phase: "Running",
      startTime: "2026-01-01T00:00:00Z",
      conditions: [
        { type: "Initialized", status: "True" },
        { type: "Ready", status: ready ? "True" : "False" },
        { type: "ContainersReady", status: ready ? "True" : "False" },
        { type: "PodScheduled", status: "True" },
      ],
      containerStatuses: [
        { name: "app", image: "registry.example.com/app:1.0", ready, restartCount: ready ? 0 : 3, state: ready ? { running: { startedAt: "2026-01-01T00:00:00Z" } } : { waiting: { reason: extra.waiting ?? "CrashLoopBackOff" } } },
      ],
    },
  };
}

/** A deployment, its one ReplicaSet and the given pods owned by it (so no controller adds or removes pods). */
function deployment(name: string, pods: readonly [suffix: string, created: string, ready: boolean][], extraPods: readonly Obj[] = []): Obj[] {
  const labels = { app: name };
  const template = { metadata: { labels }, spec: { containers: [{ name: "app", image: "registry.example.com/app:1.0" }] } };
  const rsName = `${name}-7c9d8`;
  const rsLabels = { ...labels, "pod-template-hash": "7c9d8" };
  const owner = { apiVersion: "apps/v1", kind: "ReplicaSet", name: rsName, controller: true };
  return [
    { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "staging", creationTimestamp: "-3d" }, spec: { replicas: pods.length, selector: { matchLabels: labels }, template } },
    {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: rsName, namespace: "staging", labels: rsLabels, annotations: { "deployment.kubernetes.io/revision": "1" }, ownerReferences: [{ apiVersion: "apps/v1", kind: "Deployment", name, controller: true }] },
      spec: { replicas: pods.length, selector: { matchLabels: rsLabels }, template: { ...template, metadata: { labels: rsLabels } } },
    },
    ...pods.map(([suffix, created, ready]) => pod(`${rsName}-${suffix}`, rsLabels, created, ready, { owner })),
    ...extraPods,
  ];
}

const fixture: SeedDocument = {
  objects: [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "staging" } },
    { apiVersion: "v1", kind: "Node", metadata: { name: "worker-1", labels: { "kubernetes.io/hostname": "worker-1" } } },
    // Newest ready: "mid". "old" is ready but older; "fresh" is newer but not ready; a terminating pod is newer still.
    ...deployment(
      "web",
      [
        ["old", "-2h", true],
        ["mid", "-30m", true],
        ["fresh", "-5m", false],
      ],
      [pod("web-7c9d8-term", { app: "web", "pod-template-hash": "7c9d8" }, "-1m", true, { deleting: true })],
    ),
    // Equal creation times: the name that sorts first wins.
    ...deployment("tie", [
      ["bbbbb", "-10m", true],
      ["aaaaa", "-10m", true],
    ]),
    ...deployment("down", [
      ["crash", "-10m", false],
      ["pull", "-8m", false],
    ]),
    // A pod whose name no Kubernetes API would accept: the lookup must refuse the list, not use or skip it.
    ...deployment("evil", [["ok", "-20m", true]], [pod("evil-Pod_1", { app: "evil", "pod-template-hash": "7c9d8" }, "-1m", true)]),
    ...deployment("spaced", [["ok", "-20m", true]], [pod("spaced-1 --all-namespaces", { app: "spaced", "pod-template-hash": "7c9d8" }, "-1m", true)]),
  ],
};

const logs = (name: string, params: Record<string, unknown> = {}) => ({ intent: "logs", resource: "deployment", namespace: "staging", name, params });

describe("cards that look values up from the cluster, through the real kubectl", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({}, { fixture });
  });
  after(() => h.close());

  test("logs of a deployment read its newest ready pod, not an older ready or a newer unready one", async () => {
    const response = await h.runtime.exec(logs("web", { tail: 50 }));
    assert.equal(response.status, "succeeded", response.message);
    assert.equal(response.plan?.command, "kubectl logs web-7c9d8-mid -n staging --tail=50");
    assert.equal(response.plan?.cardId, "deployment-logs");
    assert.deepEqual(
      response.lookups?.map((l) => l.argv.slice(0, 5).join(" ")),
      ["kubectl get deployment web -n", "kubectl get pods -n staging"],
    );
    assert.ok(response.lookups?.every((l) => l.code === 0));
    assert.ok(response.lookups?.[1]?.argv.includes("app=web"), "pods are listed by the deployment's own selector");
    assert.equal(typeof response.timings.resolveMs, "number");
    assert.ok(response.timings.resolveMs > 0);
    const audit = readFileSync(h.auditPath, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { operationId: string; lookups?: string[]; timings: Record<string, number> });
    const line = audit.find((a) => a.operationId === response.operationId);
    assert.equal(line?.lookups?.length, 2);
    assert.match(line?.lookups?.[0] ?? "", /^kubectl get deployment web -n staging -o jsonpath=\{\.spec\.selector\}$/);
    assert.equal(typeof line?.timings["resolveMs"], "number");
  });

  test("equal creation times go to the name that sorts first", async () => {
    const response = await h.runtime.plan(logs("tie"));
    assert.equal(response.plan?.command, "kubectl logs tie-7c9d8-aaaaa -n staging --tail=200");
    assert.equal(response.status, "planned");
  });

  test("no ready pod: nothing is planned and the answer lists the pods and their state", async () => {
    const spawned = h.runtime.executor.spawnCount;
    const response = await h.runtime.exec(logs("down"));
    assert.equal(response.status, "needs_input");
    assert.equal(response.plan, null);
    assert.equal(response.executed, false);
    assert.match(response.message, /deployment\/down in staging has no ready pod/);
    assert.match(response.message, /down-7c9d8-crash \(Running, not ready: CrashLoopBackOff\)/);
    assert.match(response.message, /down-7c9d8-pull \(Running, not ready: CrashLoopBackOff\)/);
    assert.equal(h.runtime.executor.spawnCount - spawned, 2, "only the two lookups ran");
  });

  test("a pod name the API returns that is not a DNS-1123 name refuses the whole lookup", async () => {
    for (const name of ["evil", "spaced"]) {
      const response = await h.runtime.exec(logs(name));
      assert.equal(response.status, "failed", `${name}: ${response.message}`);
      assert.equal(response.plan, null);
      assert.equal(response.steps.length, 0, "no logs command ran");
      assert.match(response.message, /refused the pod list the API returned/);
    }
  });

  test("a missing workload fails with kubectl's own error", async () => {
    const response = await h.runtime.plan(logs("nope"));
    assert.equal(response.status, "failed");
    assert.match(response.message, /the lookup "kubectl get deployment nope .*" exited with 1: .*NotFound|not found/);
  });

  test("a request cannot set the looked-up pod, and an invalid name is refused before any lookup", async () => {
    await assert.rejects(h.runtime.plan(logs("web", { pod: "web-7c9d8-old" })), (e: unknown) => e instanceof RequestValidationError && /params\.pod: is not used by card deployment-logs/.test(e.message));
    const spawned = h.runtime.executor.spawnCount;
    await assert.rejects(h.runtime.plan({ ...logs("web"), name: "Web_1" }), RequestValidationError);
    assert.equal(h.runtime.executor.spawnCount, spawned);
  });

  test("describe + events: the workload's description and its pods (by its own selector) with their events", async () => {
    const response = await h.runtime.exec({ intent: "events", resource: "deployment", namespace: "staging", name: "web" });
    assert.equal(response.status, "succeeded", `${response.message}\n${response.stderr}`);
    assert.equal(response.plan?.command, "kubectl describe deployment web -n staging\nkubectl describe pods -n staging -l app=web");
    assert.match(response.stdout, /Name:\s+web-7c9d8-mid/);
    assert.equal(response.lookups?.length, 1);
  });

  test("a goal naming a deployment's logs plans the same lookup", async () => {
    const response = await h.runtime.plan({ goal: "show the last 20 lines of logs of deployment web in staging" });
    assert.equal(response.plan?.command, "kubectl logs web-7c9d8-mid -n staging --tail=20");
    assert.equal(response.plan?.planner, "goal-parser");
  });
});

describe("without a cluster", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({}, { fixture, cluster: false });
  });
  after(() => h.close());

  test("a card that looks values up says it needs a cluster and runs nothing", async () => {
    const spawned = h.runtime.executor.spawnCount;
    const response = await h.runtime.plan(logs("web"));
    assert.equal(response.status, "needs_input");
    assert.match(response.message, /card deployment-logs looks up the newest ready pod of deployment\/web in staging, which needs a cluster: run with --kubeconfig .* or --sandbox/);
    assert.equal(h.runtime.executor.spawnCount, spawned);
    assert.deepEqual(response.lookups, []);
  });
});
