import assert from "node:assert/strict";
import { request } from "node:https";
import type { IncomingMessage } from "node:http";
import { after, before, test } from "node:test";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";
import { bearer, fetchRaw, harness } from "./helpers.js";

let sb: Sandbox;
before(async () => {
  sb = await startSandbox();
});
after(async () => {
  await sb.close();
});

function openWatch(path: string): Promise<{ res: IncomingMessage; events: () => { type: string; object: { metadata: { name: string; resourceVersion: string } } }[]; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, sb.url), { headers: bearer(sb), ca: sb.ca }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      const ended = new Promise<void>((done) => res.on("end", () => done()));
      resolve({ res, events: () => text.split("\n").filter(Boolean).map((l) => JSON.parse(l)), ended });
    });
    req.on("error", reject);
    req.end();
  });
}

const api = (path: string, method: string, body: unknown, contentType = "application/merge-patch+json") =>
  fetchRaw(sb, path, { method, headers: { ...bearer(sb), "Content-Type": contentType }, body: JSON.stringify(body) });

test("a watch answers with headers at once, replays history after resourceVersion, streams changes and ends on timeoutSeconds", async () => {
  const cm = "/api/v1/namespaces/dev/configmaps/web-config";
  const start = JSON.parse((await fetchRaw(sb, cm, { headers: bearer(sb) })).body) as { metadata: { resourceVersion: string } };
  assert.equal((await api(cm, "PATCH", { data: { A: "1" } })).status, 200);
  const w = await openWatch(`/api/v1/namespaces/dev/configmaps?watch=true&resourceVersion=${start.metadata.resourceVersion}&timeoutSeconds=1&fieldSelector=metadata.name%3Dweb-config`);
  assert.equal(w.res.statusCode, 200, "headers arrive before any event or the timeout");
  assert.equal((await api(cm, "PATCH", { data: { B: "2" } })).status, 200);
  await w.ended;
  const events = w.events();
  assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [["MODIFIED", "web-config"], ["MODIFIED", "web-config"]]);
  assert.ok(Number(events[1]?.object.metadata.resourceVersion) > Number(events[0]?.object.metadata.resourceVersion));
});

test("a label-selector watch sees objects enter and leave the selection", async () => {
  const w = await openWatch("/api/v1/namespaces/dev/configmaps?watch=1&labelSelector=team%3Dx&timeoutSeconds=1");
  const cm = "/api/v1/namespaces/dev/configmaps/web-config";
  await api(cm, "PATCH", { metadata: { labels: { team: "x" } } });
  await api(cm, "PATCH", { metadata: { labels: { team: null } } });
  await w.ended;
  assert.deepEqual(w.events().map((e) => e.type), ["ADDED", "DELETED"]);
});

test("writes: 404, 409 and 422 Status objects; dryRun=All changes nothing", async () => {
  const missing = await fetchRaw(sb, "/apis/apps/v1/namespaces/prod/deployments/nope", { headers: bearer(sb) });
  assert.equal(missing.status, 404);
  assert.deepEqual(JSON.parse(missing.body), { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message: 'deployments.apps "nope" not found', reason: "NotFound", details: { name: "nope", group: "apps", kind: "deployments" }, code: 404 });
  const cm = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "fresh" }, data: { a: "1" } };
  const dry = await api("/api/v1/namespaces/dev/configmaps?dryRun=All", "POST", cm, "application/json");
  assert.equal(dry.status, 201);
  assert.equal((JSON.parse(dry.body) as { metadata: { resourceVersion?: string } }).metadata.resourceVersion, undefined);
  assert.equal(sb.get("configmaps", "dev", "fresh"), undefined);
  assert.deepEqual(sb.requests.at(-1)?.query, { dryRun: "All" });
  assert.equal((await api("/api/v1/namespaces/dev/configmaps", "POST", cm, "application/json")).status, 201);
  const again = await api("/api/v1/namespaces/dev/configmaps", "POST", cm, "application/json");
  assert.equal(again.status, 409);
  assert.equal((JSON.parse(again.body) as { reason: string }).reason, "AlreadyExists");
  const dryDelete = await fetchRaw(sb, "/api/v1/namespaces/dev/configmaps/fresh", { method: "DELETE", headers: { ...bearer(sb), "Content-Type": "application/json" }, body: JSON.stringify({ dryRun: ["All"] }) });
  assert.equal(dryDelete.status, 200, dryDelete.body);
  assert.ok(sb.get("configmaps", "dev", "fresh"));
  const negative = await api("/apis/apps/v1/namespaces/dev/deployments/web/scale", "PATCH", { spec: { replicas: -2 } });
  assert.equal(negative.status, 422);
  const noNamespace = await api("/api/v1/namespaces/nowhere/configmaps", "POST", cm, "application/json");
  assert.equal(noNamespace.status, 404);
  assert.match(noNamespace.body, /namespaces \\"nowhere\\" not found/);
});

test("setDelay slows matching responses so callers' timeouts fire", async () => {
  const h = await harness();
  try {
    h.sandbox.setDelay(/\/namespaces\/prod\/pods$/, 3000);
    const slow = await h.kubectl("get", "pods", "-n", "prod", "--request-timeout=1s");
    assert.notEqual(slow.code, 0);
    assert.match(slow.stderr, /Client.Timeout|context deadline exceeded|timeout/i);
    h.sandbox.clearDelays();
    assert.match(await h.ok("get", "pods", "-n", "prod", "--request-timeout=5s"), /payments-api/);
  } finally {
    await h.close();
  }
});

test("with a controller tick, rollout status follows the rollout through its watch", async () => {
  const h = await harness({ controllerTickMs: 20 });
  try {
    await h.ok("rollout", "restart", "deployment/payments-api", "-n", "prod");
    const status = await h.ok("rollout", "status", "deployment/payments-api", "-n", "prod", "--timeout=30s");
    assert.match(status, /successfully rolled out/);
    const watched = h.sandbox.requests.find((r) => r.verb === "watch" && r.path === "/apis/apps/v1/namespaces/prod/deployments");
    assert.ok(watched, "kubectl watched the deployment");
    assert.equal(watched.query["fieldSelector"], "metadata.name=payments-api");
    const pods = h.sandbox.list("pods", "prod", { labelSelector: "app.kubernetes.io/name=payments-api" });
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p) => p.metadata.labels?.["pod-template-hash"] === pods[0]?.metadata.labels?.["pod-template-hash"]));
  } finally {
    await h.close();
  }
});
