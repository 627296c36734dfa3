import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

/** The header and the row for `name` of a kubectl table, split on runs of spaces. */
function row(table: string, name: string): { header: string[]; cells: string[] } {
  const lines = table.trim().split("\n");
  const split = (l: string) => l.trim().split(/\s{2,}/);
  const found = lines.find((l) => split(l).includes(name));
  assert.ok(found, `${name} in\n${table}`);
  return { header: split(lines[0] as string), cells: split(found) };
}

test("networking, autoscaling, storage, quota and RBAC kinds print the API server's columns", async () => {
  const cases: [string[], string, string[], string[]][] = [
    [["get", "ingress", "-n", "prod"], "web", ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], ["web", "nginx", "shop.example.com,api.shop.example.com", "203.0.113.10", "80, 443", "90d"]],
    [["get", "ingressclass"], "nginx", ["NAME", "CONTROLLER", "PARAMETERS", "AGE"], ["nginx", "k8s.io/ingress-nginx", "<none>", "110d"]],
    [["get", "netpol", "-n", "prod"], "default-deny-ingress", ["NAME", "POD-SELECTOR", "AGE"], ["default-deny-ingress", "<none>", "90d"]],
    [["get", "hpa", "-n", "prod"], "web", ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"], ["web", "Deployment/web", "cpu: 42%/70%", "2", "6", "2", "60d"]],
    [["get", "pvc", "-n", "prod"], "payments-db-data", ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], ["payments-db-data", "Bound", "pvc-3f6b1c2a-payments-db", "20Gi", "RWO", "standard", "<unset>", "60d"]],
    [["get", "pv"], "pvc-3f6b1c2a-payments-db", ["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"], ["pvc-3f6b1c2a-payments-db", "20Gi", "RWO", "Delete", "Bound", "prod/payments-db-data", "standard", "<unset>", "60d"]],
    [["get", "rolebinding", "-n", "prod", "-o", "wide"], "deployer", ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"], ["deployer", "Role/deployer", "90d", "alice@example.com", "prod/ci-deployer"]],
    [["get", "clusterrolebinding"], "cluster-admin", ["NAME", "ROLE", "AGE"], ["cluster-admin", "ClusterRole/cluster-admin", "120d"]],
    [["get", "deployment", "web", "-n", "prod", "--subresource=scale"], "web", ["NAME", "DESIRED", "AVAILABLE"], ["web", "2", "2"]],
    [["get", "deployment", "web", "-n", "prod", "--subresource=status"], "web", ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], ["web", "2/2", "2", "2", "90d"]],
  ];
  for (const [args, name, header, cells] of cases) {
    const got = row(await h.ok(...args), name);
    assert.deepEqual(got.header, header, args.join(" "));
    assert.deepEqual(got.cells, cells, args.join(" "));
  }
  const quota = row(await h.ok("get", "quota", "-n", "prod"), "compute");
  assert.deepEqual(quota.header, ["NAME", "AGE", "REQUEST", "LIMIT"]);
  assert.match(quota.cells[2] ?? "", /^pods: \d+\/40, requests\.cpu: \d+m\/8, requests\.memory: \d+Mi\/16Gi$/);
  assert.deepEqual(row(await h.ok("get", "role", "-n", "prod"), "deployer").header, ["NAME", "CREATED AT"]);
  assert.deepEqual(row(await h.ok("get", "limitrange", "-n", "dev"), "container-defaults").header, ["NAME", "CREATED AT"]);
  assert.equal(await h.ok("get", "limits", "container-defaults", "-n", "dev", "-o", "jsonpath={.spec.limits[0].type} {.spec.limits[0].default.cpu} {.spec.limits[0].defaultRequest.memory}"), "Container 500m 128Mi");
});

test("the quota controller counts what runs in the namespace", async () => {
  await h.ok("create", "quota", "small", "-n", "dev", "--hard=pods=10,configmaps=5");
  const before = JSON.parse(await h.ok("get", "quota", "small", "-n", "dev", "-o", "json")) as { status: { used: Record<string, string> } };
  await h.ok("create", "configmap", "counted", "-n", "dev", "--from-literal=a=b");
  const afterCreate = JSON.parse(await h.ok("get", "quota", "small", "-n", "dev", "-o", "json")) as { status: { used: Record<string, string>; hard: Record<string, string> } };
  assert.equal(Number(afterCreate.status.used["configmaps"]), Number(before.status.used["configmaps"]) + 1);
  assert.deepEqual(afterCreate.status.hard, { pods: "10", configmaps: "5" });
});

test("the Flux kinds are listed as CustomResourceDefinitions", async () => {
  const crds = await h.ok("get", "crds", "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.names.kind} {.status.conditions[?(@.type==\"Established\")].status}{\"\\n\"}{end}");
  assert.equal(crds.trim(), "kustomizations.kustomize.toolkit.fluxcd.io Kustomization True\nhelmreleases.helm.toolkit.fluxcd.io HelmRelease True\ngitrepositories.source.toolkit.fluxcd.io GitRepository True");
  assert.match(await h.ok("get", "crd", "kustomizations.kustomize.toolkit.fluxcd.io"), /^NAME\s+CREATED AT\nkustomizations\.kustomize\.toolkit\.fluxcd\.io\s+\d{4}-\d\d-\d\dT/);
});

test("HelmReleases are served: server-side applied and printed with Flux's columns", async () => {
  const dir = await mkdtemp(join(tmpdir(), "rag-k8s-hr-"));
  try {
    const release = { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", metadata: { name: "podinfo", namespace: "flux-system" }, spec: { interval: "10m", chart: { spec: { chart: "podinfo", sourceRef: { kind: "HelmRepository", name: "podinfo" } } } } };
    await writeFile(join(dir, "hr.json"), JSON.stringify(release));
    assert.match(await h.ok("apply", "--server-side", "-f", join(dir, "hr.json")), /helmrelease.helm.toolkit.fluxcd.io\/podinfo serverside-applied/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const printed = row(await h.ok("get", "hr", "-n", "flux-system"), "podinfo");
  assert.deepEqual(printed.header, ["NAME", "AGE", "READY", "STATUS"]);
  assert.equal(await h.ok("get", "helmrelease", "podinfo", "-n", "flux-system", "-o", "jsonpath={.spec.chart.spec.sourceRef.name} {.metadata.managedFields[0].manager}"), "podinfo kubectl");
});

test("auth whoami, node proxy stats/summary and /metrics", async () => {
  assert.match(await h.ok("auth", "whoami"), /Username\s+rag-k8s-sandbox-admin/);
  const summary = JSON.parse(await h.ok("get", "--raw", "/api/v1/nodes/worker-1/proxy/stats/summary")) as { node: { nodeName: string; cpu: { usageNanoCores: number } }; pods: { podRef: { namespace: string; name: string } }[] };
  assert.equal(summary.node.nodeName, "worker-1");
  assert.ok(summary.node.cpu.usageNanoCores > 0);
  const pods = JSON.parse(await h.ok("get", "pods", "-A", "--field-selector=spec.nodeName=worker-1,status.phase=Running", "-o", "json")) as { items: { metadata: { namespace: string; name: string } }[] };
  assert.deepEqual(summary.pods.map((p) => `${p.podRef.namespace}/${p.podRef.name}`).sort(), pods.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`).sort());
  const missing = await h.kubectl("get", "--raw", "/api/v1/nodes/nope/proxy/stats/summary");
  assert.match(missing.stderr, /nodes "nope" not found/);
  await h.ok("get", "deployments", "-n", "prod");
  const metrics = await h.ok("get", "--raw", "/metrics");
  assert.match(metrics, /^apiserver_request_total\{code="200",component="apiserver",dry_run="",group="apps",resource="deployments",scope="namespace",subresource="",verb="LIST",version="v1"\} [1-9]\d*$/m);
  assert.match(metrics, /^apiserver_storage_objects\{resource="deployments\.apps"\} [1-9]\d*$/m);
});
