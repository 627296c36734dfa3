import assert from "node:assert/strict";
import { test } from "node:test";
import { field, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

async function withHarness(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

const unschedulable = (h: Harness, node: string): unknown => field(h.sandbox.get("nodes", undefined, node), "spec.unschedulable");

test("cordon and uncordon mark the node and record node events; a dry run does not", () =>
  withHarness(async (h) => {
    await h.ok("cordon", "worker-3", "--dry-run=server");
    assert.equal(unschedulable(h, "worker-3"), undefined);
    h.sandbox.clearRequests();
    assert.match(await h.ok("cordon", "worker-3"), /node\/worker-3 cordoned/);
    const patch = h.sandbox.requests.find((r) => r.method === "PATCH");
    assert.equal(patch?.contentType, "application/strategic-merge-patch+json");
    assert.deepEqual(patch?.body, { spec: { unschedulable: true } });
    assert.equal(unschedulable(h, "worker-3"), true);
    assert.match(await h.ok("get", "nodes"), /worker-3\s+Ready,SchedulingDisabled\s+worker/);
    await h.ok("uncordon", "worker-3");
    assert.equal(unschedulable(h, "worker-3"), undefined);
    const events = await h.ok("get", "events", "-n", "default", "--field-selector=involvedObject.kind=Node,involvedObject.name=worker-3", "--sort-by=.lastTimestamp");
    assert.match(events, /NodeNotSchedulable[\s\S]*NodeSchedulable/);
  }));

test("drain evicts a node's pods, skips DaemonSet pods, and workloads come back on other nodes", () =>
  withHarness(async (h) => {
    const onNode = (node: string) => h.sandbox.list("pods", undefined, { fieldSelector: `spec.nodeName=${node}` });
    const daemonPods = onNode("worker-3").filter((p) => p.metadata.ownerReferences?.[0]?.kind === "DaemonSet");
    const deploymentPods = h.sandbox.list("pods", undefined, { labelSelector: "pod-template-hash" }).length;
    const r = await h.kubectl("drain", "worker-3", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=60s");
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /node\/worker-3 drained/);
    assert.equal(unschedulable(h, "worker-3"), true);
    assert.deepEqual(onNode("worker-3").map((p) => p.metadata.name).sort(), daemonPods.map((p) => p.metadata.name).sort());
    assert.equal(h.sandbox.list("pods", undefined, { labelSelector: "pod-template-hash" }).length, deploymentPods, "every evicted deployment pod was recreated");
    assert.ok(h.sandbox.requests.some((r) => r.method === "POST" && r.path.endsWith("/eviction") && r.status === 201));
    const payments = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=payments-api" });
    assert.equal(payments.length, 3);
    assert.ok(payments.every((p) => field(p, "spec.nodeName") !== "worker-3" && field(p, "status.phase") === "Running"));
    await h.ok("uncordon", "worker-3");
  }));

test("drain refuses bare pods without --force, and a PodDisruptionBudget makes evictions fail with 429", () =>
  withHarness(async (h) => {
    const bare = await h.kubectl("drain", "worker-2", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=5s");
    assert.equal(bare.code, 1);
    assert.match(bare.stderr, /cannot delete Pods that declare no controller \(use --force to override\)/);
    const redisBefore = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=redis" }).map((p) => p.metadata.uid);
    const blocked = await h.kubectl("drain", "worker-1", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=1s");
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr + blocked.stdout, /Cannot evict pod as it would violate the pod's disruption budget|global timeout reached/);
    const refused = h.sandbox.requests.filter((r) => r.path.startsWith("/api/v1/namespaces/prod/pods/redis-") && r.path.endsWith("/eviction"));
    assert.ok(refused.length >= 3 && refused.every((r) => r.status === 429), JSON.stringify(refused.map((r) => [r.path, r.status])));
    assert.deepEqual(h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=redis" }).map((p) => p.metadata.uid), redisBefore);
    assert.equal(field(h.sandbox.get("poddisruptionbudgets", "prod", "redis"), "status.disruptionsAllowed"), 0);
  }));
