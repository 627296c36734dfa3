import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse } from "yaml";
import { bearer, fetchRaw, field, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

test("the kubectl dispatcher on PATH picks kubectl 1.31 for the sandbox's reported version", async () => {
  const viaDispatcher = await harness({ dispatcher: true });
  try {
    const out = await viaDispatcher.ok("version");
    console.log(`kubectl under test (via the dispatcher):\n${out}`);
    assert.match(out, /Client Version: v1\.31\./);
    assert.match(out, /Server Version: v1\.31\.0/);
    assert.match(await viaDispatcher.ok("get", "deployment", "web", "-n", "shop", "-o", "name"), /deployment.apps\/web/);
  } finally {
    await viaDispatcher.close();
  }
});

const rows = (out: string): string[][] => out.trim().split("\n").map((l) => l.trim().split(/\s{2,}/));

test("get namespaces lists the fixture's namespaces as a table", async () => {
  const table = rows(await h.ok("get", "namespaces"));
  assert.deepEqual(table[0], ["NAME", "STATUS", "AGE"]);
  const names = table.slice(1).map((r) => r[0]);
  for (const ns of ["prod", "staging", "dev", "flux-system", "default", "kube-system"]) assert.ok(names.includes(ns), ns);
});

test("get pods prints the server's pod columns, crash loops and image pull failures", async () => {
  const out = await h.ok("get", "pods", "-n", "prod");
  const table = rows(out);
  assert.deepEqual(table[0], ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]);
  const crash = table.find((r) => r[0] === "api-5f7c8d-abcde");
  assert.ok(crash, out);
  assert.equal(crash[1], "0/1");
  assert.equal(crash[2], "CrashLoopBackOff");
  assert.match(crash[3] ?? "", /^7 \(\d+m ago\)$/);
  assert.ok(table.some((r) => r[0]?.startsWith("checkout-") && r[2] === "ImagePullBackOff"), out);
  const redis = table.filter((r) => r[0]?.startsWith("redis-"));
  assert.deepEqual(redis.map((r) => r[0]), ["redis-0", "redis-1", "redis-2"]);
});

test("get deployments across namespaces shows readiness and the stuck rollout", async () => {
  const table = rows(await h.ok("get", "deployments", "-A"));
  assert.deepEqual(table[0], ["NAMESPACE", "NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]);
  assert.deepEqual(table.find((r) => r[0] === "prod" && r[1] === "checkout")?.slice(2, 5), ["3/4", "2", "3"]);
  assert.deepEqual(table.find((r) => r[0] === "prod" && r[1] === "payments-api")?.slice(2, 5), ["3/3", "3", "3"]);
});

test("label and field selectors filter like the API server", async () => {
  const byLabel = (await h.ok("get", "pods", "-n", "prod", "-l", "tier in (api,worker)", "-o", "name")).trim().split("\n").sort();
  const expected = h.sandbox.list("pods", "prod", { labelSelector: "tier in (api,worker)" }).map((p) => `pod/${p.metadata.name}`).sort();
  assert.deepEqual(byLabel, expected);
  assert.ok(expected.some((n) => n.startsWith("pod/orders-worker-")) && expected.includes("pod/api-5f7c8d-abcde"));
  const running = (await h.ok("get", "pods", "-A", "--field-selector=status.phase=Running", "-o", "name")).trim().split("\n");
  assert.equal(running.length, h.sandbox.list("pods", undefined, { fieldSelector: "status.phase=Running" }).length);
  const pending = await h.ok("get", "pods", "-n", "prod", "--field-selector=status.phase=Pending", "-o", "wide");
  assert.match(pending, /checkout-\S+\s+0\/1\s+ImagePullBackOff/);
  assert.match(pending, /IP\s+NODE/);
  const notRunning = await h.ok("get", "pods", "-n", "prod", "--field-selector=status.phase!=Running", "-o", "name");
  assert.ok(notRunning.trim().split("\n").every((n) => n.startsWith("pod/checkout-")), notRunning);
  const bad = await h.kubectl("get", "pods", "--field-selector=spec.bogus=1");
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /field label not supported: spec.bogus/);
});

test("-o json and -o yaml get plain lists and objects", async () => {
  h.sandbox.clearRequests();
  const list = JSON.parse(await h.ok("get", "deployments", "-n", "staging", "-o", "json")) as { kind: string; items: { metadata: { name: string } }[] };
  assert.equal(list.kind, "List");
  assert.deepEqual(list.items.map((i) => i.metadata.name).sort(), ["payments-api", "web", "worker"]);
  const call = h.sandbox.requests.find((r) => r.path === "/apis/apps/v1/namespaces/staging/deployments");
  assert.ok(call && !(call.accept ?? "").includes("as=Table"), "plain list requested");
  const cm = parse(await h.ok("get", "configmap", "web-config", "-n", "shop", "-o", "yaml")) as { data: Record<string, string>; metadata: { resourceVersion: string; uid: string } };
  assert.deepEqual(cm.data, field(h.sandbox.get("configmaps", "shop", "web-config"), "data"));
  assert.match(cm.metadata.resourceVersion, /^\d+$/);
  assert.match(cm.metadata.uid, /^[0-9a-f-]{36}$/);
  const missing = await h.kubectl("get", "deployment", "nope", "-n", "prod");
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /deployments.apps "nope" not found/);
});

test("describe deployment, pod and node", async () => {
  const deploy = await h.ok("describe", "deployment", "checkout", "-n", "prod");
  assert.match(deploy, /Replicas:\s+4 desired \| 2 updated \| 5 total \| 3 available/);
  assert.match(deploy, /NewReplicaSet:\s+checkout-\w+ \(2\/2 replicas created\)/);
  assert.match(deploy, /ScalingReplicaSet/);
  const pod = await h.ok("describe", "pod", "api-5f7c8d-abcde", "-n", "prod");
  assert.match(pod, /Restart Count:\s+7/);
  assert.match(pod, /Back-off restarting failed container api/);
  const node = await h.ok("describe", "node", "worker-1");
  assert.match(node, /Non-terminated Pods:\s+\(\d+ in total\)/);
  assert.match(node, /redis-0/);
  assert.match(node, /HolderIdentity:\s+worker-1/);
  const svc = await h.ok("describe", "service", "web", "-n", "shop");
  assert.match(svc, /Endpoints:\s+10\.244\.\d+\.\d+:8080/);
});

test("logs: tail, since, timestamps, container, previous, selectors and workloads", async () => {
  const tail = await h.ok("logs", "deployment/web", "-n", "shop", "--tail=2");
  assert.equal(tail.trim().split("\n").length, 2);
  const stamped = await h.ok("logs", "deployment/web", "-n", "shop", "--tail=3", "--timestamps");
  assert.ok(stamped.trim().split("\n").every((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /.test(l)), stamped);
  const all = await h.ok("logs", "deployment/web", "-n", "shop");
  const recent = await h.ok("logs", "deployment/web", "-n", "shop", "--since=2m");
  assert.ok(recent.trim().split("\n").length <= 5 && all.split("\n").length > 50, "since filters by time");
  const current = await h.ok("logs", "api-5f7c8d-abcde", "-n", "prod");
  const previous = await h.ok("logs", "api-5f7c8d-abcde", "-n", "prod", "--previous");
  assert.match(current, /attempt 8/);
  assert.match(previous, /attempt 7[\s\S]*panic/);
  assert.notEqual(current, previous);
  const sidecar = await h.ok("logs", "web-0", "-n", "shop", "--container=istio-proxy", "--tail=1");
  assert.match(sidecar, /GET \/healthz 200/);
  const noPrevious = await h.kubectl("logs", "web-0", "-n", "shop", "--container=istio-proxy", "--previous");
  assert.equal(noPrevious.code, 1);
  assert.match(noPrevious.stderr, /previous terminated container "istio-proxy" in pod "web-0" not found/);
  // A container that never started has no logs; one whose restart cannot pull shows its last run.
  const stuck = h.sandbox.list("pods", "prod", { labelSelector: "app=checkout", fieldSelector: "status.phase=Pending" })[0];
  assert.ok(stuck, "the stuck rollout has a pending pod");
  const neverStarted = await h.kubectl("logs", stuck.metadata.name, "-n", "prod");
  assert.equal(neverStarted.code, 1);
  assert.match(neverStarted.stderr, /is waiting to start: trying and failing to pull image/);
  assert.match(await h.ok("logs", "web-7d4b9c-x2x9q", "-n", "shop", "--tail=1"), /^fatal: out of memory, killed\n$/);
  const bySelector = await h.ok("logs", "-n", "prod", "-l", "app.kubernetes.io/name=payments-api", "--prefix", "--tail=1");
  const prefixed = bySelector.trim().split("\n");
  assert.equal(prefixed.length, 3);
  assert.ok(prefixed.every((l) => l.startsWith("[pod/payments-api-")), bySelector);
});

test("events: sorted by lastTimestamp, filtered by involved object and type", async () => {
  const out = await h.ok("get", "events", "-n", "prod", "--sort-by=.lastTimestamp", "--field-selector", "involvedObject.name=api-5f7c8d-abcde");
  const table = rows(out);
  assert.deepEqual(table[0], ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
  assert.ok(table.length > 2 && table.slice(1).every((r) => r[3] === "pod/api-5f7c8d-abcde"), out);
  const warnings = rows(await h.ok("get", "events", "-n", "prod", "--field-selector=type=Warning"));
  assert.ok(warnings.slice(1).every((r) => r[1] === "Warning"));
  assert.ok(warnings.some((r) => r[2] === "BackOff") && warnings.some((r) => r[2] === "Failed"));
  const v1 = JSON.parse(await h.ok("get", "events.v1.events.k8s.io", "-n", "prod", "-o", "json")) as { items: { regarding?: { name?: string }; note?: string }[] };
  assert.ok(v1.items.length > 0 && v1.items.every((e) => typeof e.regarding?.name === "string" && typeof e.note === "string"));
});

test("top pods and nodes read metrics.k8s.io", async () => {
  const nodes = rows(await h.ok("top", "nodes"));
  assert.deepEqual(nodes[0], ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"]);
  assert.deepEqual(nodes.slice(1).map((r) => r[0]), ["worker-1", "worker-2", "worker-3", "worker-7"]);
  const pods = rows(await h.ok("top", "pods", "-n", "prod", "-l", "app.kubernetes.io/name=payments-api"));
  assert.equal(pods.length, 4);
  assert.ok(pods.slice(1).every((r) => r[1] === "120m" && r[2] === "310Mi"), JSON.stringify(pods));
});

test("Flux kustomizations print AGE READY STATUS", async () => {
  const table = rows(await h.ok("get", "kustomizations", "-n", "flux-system"));
  assert.deepEqual(table[0], ["NAME", "AGE", "READY", "STATUS"]);
  assert.deepEqual(table.slice(1).map((r) => [r[0], r[2]]), [["apps", "True"], ["infra", "True"]]);
  assert.match(table[1]?.[3] ?? "", /^Applied revision: main@sha1:[0-9a-f]{40}$/);
});

test("secrets are served (so policy, not the cluster, must refuse reading them)", async () => {
  const out = await h.ok("get", "secret", "payments-db-credentials", "-n", "prod", "-o", "jsonpath={.data.username}");
  assert.equal(Buffer.from(out, "base64").toString(), "payments");
});

test("requests without the bearer token get a 401 Status", async () => {
  const res = await fetchRaw(h.sandbox, "/api/v1/namespaces");
  assert.equal(res.status, 401);
  assert.deepEqual(JSON.parse(res.body), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: "Unauthorized", reason: "Unauthorized", code: 401 });
  const ok = await fetchRaw(h.sandbox, "/api/v1/namespaces/prod", { headers: bearer(h.sandbox) });
  assert.equal(ok.status, 200);
});

test("the request log records what kubectl did", async () => {
  h.sandbox.clearRequests();
  await h.ok("get", "pods", "-n", "dev", "-l", "app=web");
  const list = h.sandbox.requests.find((r) => r.path === "/api/v1/namespaces/dev/pods");
  assert.ok(list, JSON.stringify(h.sandbox.requests.map((r) => r.path)));
  assert.equal(list.method, "GET");
  assert.equal(list.verb, "list");
  assert.equal(list.status, 200);
  assert.equal(list.query["labelSelector"], "app=web");
  assert.match(list.userAgent ?? "", /^kubectl/);
  assert.match(list.accept ?? "", /as=Table;v=v1;g=meta.k8s.io/);
  assert.ok(!Number.isNaN(Date.parse(list.at)));
});
