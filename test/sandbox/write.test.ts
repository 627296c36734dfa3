import assert from "node:assert/strict";
import { test } from "node:test";
import { field, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

const REVISION = "deployment.kubernetes.io/revision";

async function withHarness(fn: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness();
  try {
    await fn(h);
  } finally {
    await h.close();
  }
}

/** Everything kubectl could observe about a namespace, to prove a dry run changed nothing. */
function snapshot(h: Harness, namespace: string): string {
  const kinds = ["deployments", "replicasets", "statefulsets", "pods", "jobs", "events", "configmaps"];
  return JSON.stringify(kinds.map((k) => h.sandbox.list(k, namespace).map((o) => [o.metadata.name, o.metadata.resourceVersion])));
}

test("rollout restart creates a new ReplicaSet revision, replaces every pod and rollout status completes", () =>
  withHarness(async (h) => {
    const before = h.sandbox.list("pods", "shop", { labelSelector: "app.kubernetes.io/name=web" }).map((p) => p.metadata.name);
    h.sandbox.clearRequests();
    assert.match(await h.ok("rollout", "restart", "deployment/web", "-n", "shop"), /deployment.apps\/web restarted/);
    const patch = h.sandbox.requests.find((r) => r.method === "PATCH");
    assert.equal(patch?.contentType, "application/strategic-merge-patch+json");
    assert.match(JSON.stringify(patch?.body), /kubectl.kubernetes.io\/restartedAt/);
    assert.match(await h.ok("rollout", "status", "deployment/web", "-n", "shop", "--timeout=20s"), /successfully rolled out/);
    const deploy = h.sandbox.get("deployments", "shop", "web");
    assert.equal(deploy?.metadata.annotations?.[REVISION], "3");
    const annotations = field(deploy, "spec.template.metadata.annotations") as Record<string, string> | undefined;
    assert.ok(!Number.isNaN(Date.parse(annotations?.["kubectl.kubernetes.io/restartedAt"] ?? "")), "restartedAt is in the pod template");
    assert.equal(field(deploy, "status.updatedReplicas"), 3);
    assert.equal(field(deploy, "status.observedGeneration"), deploy?.metadata.generation);
    const newRs = h.sandbox.list("replicasets", "shop").find((rs) => rs.metadata.annotations?.[REVISION] === "3");
    assert.ok(newRs && newRs.metadata.ownerReferences?.[0]?.uid === deploy?.metadata.uid);
    const after = h.sandbox.list("pods", "shop", { labelSelector: "app.kubernetes.io/name=web" });
    assert.equal(after.length, 3);
    assert.ok(after.every((p) => !before.includes(p.metadata.name) && p.metadata.name.startsWith(`${newRs.metadata.name}-`)));
    const events = await h.ok("get", "events", "-n", "shop", "--field-selector=involvedObject.kind=Deployment,involvedObject.name=web", "--sort-by=.lastTimestamp");
    assert.match(events, new RegExp(`Scaled up replica set ${newRs.metadata.name} from 0 to 1`));
  }));

test("rollout history and undo work from ReplicaSet revisions; a server dry run changes nothing", () =>
  withHarness(async (h) => {
    const history = await h.ok("rollout", "history", "deployment/api", "-n", "prod");
    assert.deepEqual(history.trim().split("\n").slice(2).map((l) => l.split(/\s+/)[0]), ["1", "2", "3", "4"]);
    assert.match(await h.ok("rollout", "history", "deployment/api", "-n", "prod", "--revision=3"), /registry.example.com\/api:3.7.0/);
    const before = snapshot(h, "prod");
    assert.match(await h.ok("rollout", "undo", "deployment/api", "-n", "prod", "--to-revision=3", "--dry-run=server"), /server dry run/);
    assert.equal(snapshot(h, "prod"), before);
    h.sandbox.clearRequests();
    await h.ok("rollout", "undo", "deployment/api", "-n", "prod", "--to-revision=3");
    assert.equal(h.sandbox.requests.find((r) => r.method === "PATCH")?.contentType, "application/json-patch+json");
    await h.ok("rollout", "status", "deployment/api", "-n", "prod", "--timeout=20s");
    const rs = h.sandbox.list("replicasets", "prod", { labelSelector: "app.kubernetes.io/name=api" });
    assert.equal(rs.length, 4, "the old ReplicaSet is reused, not duplicated");
    const current = rs.find((r) => field(r, "spec.replicas") === 3);
    assert.equal(current?.metadata.annotations?.[REVISION], "5");
    assert.equal(field(current, "spec.template.spec.containers.0.image"), "registry.example.com/api:3.7.0");
    const pods = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=api" });
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => JSON.stringify(p["spec"]).includes("registry.example.com/api:3.7.0")));
    const after = await h.ok("rollout", "history", "deployment/api", "-n", "prod");
    assert.deepEqual(after.trim().split("\n").slice(2).map((l) => l.split(/\s+/)[0]), ["1", "2", "4", "5"]);
  }));

test("scale changes the pod count of deployments and statefulsets; dry runs do not", () =>
  withHarness(async (h) => {
    const before = snapshot(h, "shop");
    assert.match(await h.ok("scale", "deployment/web", "-n", "shop", "--replicas=1", "--dry-run=server"), /server dry run/);
    assert.equal(snapshot(h, "shop"), before);
    h.sandbox.clearRequests();
    await h.ok("scale", "deployment/web", "-n", "shop", "--replicas=5");
    const scale = h.sandbox.requests.find((r) => r.path.endsWith("/deployments/web/scale"));
    assert.equal(scale?.method, "PATCH");
    assert.equal(scale?.contentType, "application/merge-patch+json");
    assert.equal(h.sandbox.list("pods", "shop", { labelSelector: "app.kubernetes.io/name=web,pod-template-hash" }).length, 5);
    assert.match(await h.ok("get", "deployment", "web", "-n", "shop"), /web\s+5\/5\s+5\s+5/);
    await h.ok("scale", "statefulset/kafka", "-n", "streaming", "--replicas=5");
    await h.ok("rollout", "status", "statefulset/kafka", "-n", "streaming", "--timeout=20s");
    assert.deepEqual(h.sandbox.list("pods", "streaming", { labelSelector: "app.kubernetes.io/name=kafka" }).map((p) => p.metadata.name), ["kafka-0", "kafka-1", "kafka-2", "kafka-3", "kafka-4"]);
    await h.ok("scale", "statefulset/kafka", "-n", "streaming", "--replicas=2");
    assert.deepEqual(h.sandbox.list("pods", "streaming", { labelSelector: "app.kubernetes.io/name=kafka" }).map((p) => p.metadata.name), ["kafka-0", "kafka-1"]);
    const bad = await h.kubectl("scale", "deployment/web", "-n", "shop", "--replicas=-1");
    assert.notEqual(bad.code, 0);
  }));

test("statefulset and daemonset restarts roll every pod to the new revision", () =>
  withHarness(async (h) => {
    const before = h.sandbox.list("pods", "data").map((p) => p.metadata.uid);
    await h.ok("rollout", "restart", "statefulset/postgres", "-n", "data");
    assert.match(await h.ok("rollout", "status", "statefulset/postgres", "-n", "data", "--timeout=20s"), /roll out complete/);
    const sts = h.sandbox.get("statefulsets", "data", "postgres");
    assert.equal(field(sts, "status.currentRevision"), field(sts, "status.updateRevision"));
    const pods = h.sandbox.list("pods", "data");
    assert.deepEqual(pods.map((p) => p.metadata.name), ["postgres-0", "postgres-1"]);
    assert.ok(pods.every((p) => !before.includes(p.metadata.uid) && p.metadata.labels?.["controller-revision-hash"] === field(sts, "status.updateRevision")));
    await h.ok("rollout", "restart", "daemonset/fluent-bit", "-n", "logging");
    assert.match(await h.ok("rollout", "status", "daemonset/fluent-bit", "-n", "logging", "--timeout=20s"), /successfully rolled out/);
    assert.equal(h.sandbox.list("pods", "logging").length, h.sandbox.list("nodes").length, "fluent-bit tolerates every node");
  }));

test("a rollout whose new pods cannot pull their image never completes", () =>
  withHarness(async (h) => {
    const r = await h.kubectl("rollout", "status", "deployment/checkout", "-n", "prod", "--timeout=2s");
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /timed out waiting for the condition|exceeded its progress deadline/);
  }));

test("Flux reconcile requests, suspend and resume show in the Kustomization's status", () =>
  withHarness(async (h) => {
    const ks = (): unknown => h.sandbox.get("kustomizations", "flux-system", "apps");
    const before = snapshot(h, "flux-system");
    const rv = ks() && (ks() as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    await h.ok("annotate", "--overwrite", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=2024-05-01T12:00:00Z", "--dry-run=server");
    assert.equal((ks() as { metadata: { resourceVersion: string } }).metadata.resourceVersion, rv);
    assert.equal(snapshot(h, "flux-system"), before);
    h.sandbox.clearRequests();
    await h.ok("annotate", "--overwrite", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=2024-05-01T12:00:00Z");
    assert.equal(h.sandbox.requests.find((r) => r.method === "PATCH")?.contentType, "application/merge-patch+json");
    assert.equal(field(ks(), "status.lastHandledReconcileAt"), "2024-05-01T12:00:00Z");
    await h.ok("patch", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "--type=merge", "-p", '{"spec":{"suspend":true}}', "--dry-run=server");
    assert.equal(field(ks(), "spec.suspend"), undefined);
    await h.ok("patch", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "--type=merge", "-p", '{"spec":{"suspend":true}}');
    assert.equal(field(ks(), "spec.suspend"), true);
    await h.ok("annotate", "--overwrite", "ks/apps", "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=2024-05-02T12:00:00Z");
    assert.equal(field(ks(), "status.lastHandledReconcileAt"), "2024-05-01T12:00:00Z", "a suspended Kustomization ignores reconcile requests");
    await h.ok("patch", "ks/apps", "-n", "flux-system", "--type=merge", "-p", '{"spec":{"suspend":false}}');
    assert.equal(field(ks(), "status.lastHandledReconcileAt"), "2024-05-02T12:00:00Z");
    assert.equal(field(ks(), "status.observedGeneration"), (ks() as { metadata: { generation: number } }).metadata.generation);
    const table = await h.ok("get", "kustomizations.kustomize.toolkit.fluxcd.io", "-n", "flux-system");
    assert.match(table, /apps\s+\d+d\s+True\s+Applied revision/);
  }));

test("create job --from=cronjob runs a pod to completion with logs", () =>
  withHarness(async (h) => {
    const before = snapshot(h, "ops");
    await h.ok("create", "job", "nightly-backup-rerun-1", "--from=cronjob/nightly-backup", "-n", "ops", "--dry-run=server");
    assert.equal(snapshot(h, "ops"), before);
    assert.match(await h.ok("create", "job", "nightly-backup-rerun-1", "--from=cronjob/nightly-backup", "-n", "ops"), /job.batch\/nightly-backup-rerun-1 created/);
    assert.match(await h.ok("get", "job", "nightly-backup-rerun-1", "-n", "ops"), /nightly-backup-rerun-1\s+Complete\s+1\/1/);
    const job = h.sandbox.get("jobs", "ops", "nightly-backup-rerun-1");
    assert.equal(job?.metadata.ownerReferences?.[0]?.kind, "CronJob");
    const pods = h.sandbox.list("pods", "ops", { labelSelector: "job-name=nightly-backup-rerun-1" });
    assert.equal(pods.length, 1);
    assert.equal(field(pods[0], "status.phase"), "Succeeded");
    assert.match(await h.ok("logs", "job/nightly-backup-rerun-1", "-n", "ops", "--tail=200"), /backup finished/);
    const again = await h.kubectl("create", "job", "nightly-backup-rerun-1", "--from=cronjob/nightly-backup", "-n", "ops");
    assert.equal(again.code, 1);
    assert.match(again.stderr, /jobs.batch "nightly-backup-rerun-1" already exists/);
  }));

test("deleting a deployment's pod gets it replaced; deleting with a dry run does not", () =>
  withHarness(async (h) => {
    const [victim] = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=payments-api" });
    assert.ok(victim);
    await h.ok("delete", "pod", victim.metadata.name, "-n", "prod", "--dry-run=server");
    assert.ok(h.sandbox.get("pods", "prod", victim.metadata.name));
    await h.ok("delete", "pod", victim.metadata.name, "-n", "prod");
    assert.equal(h.sandbox.get("pods", "prod", victim.metadata.name), undefined);
    const pods = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=payments-api" });
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => field(p, "status.phase") === "Running"));
  }));

test("a write with a stale resourceVersion is a 409 Conflict", () =>
  withHarness(async (h) => {
    const r = await h.kubectl("patch", "configmap", "web-config", "-n", "shop", "--type=merge", "-p", '{"metadata":{"resourceVersion":"1"},"data":{"LOG_LEVEL":"debug"}}');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Operation cannot be fulfilled on configmaps "web-config": the object has been modified/);
    assert.equal(field(h.sandbox.get("configmaps", "shop", "web-config"), "data.LOG_LEVEL"), "info");
    await h.ok("label", "configmap", "web-config", "-n", "shop", "team=storefront");
    assert.equal(h.sandbox.get("configmaps", "shop", "web-config")?.metadata.labels?.["team"], "storefront");
  }));
