import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fromFieldsV1, pathString, toFieldSet, toFieldsV1 } from "../../src/sandbox/fieldset.js";
import { kindSchema } from "../../src/sandbox/schemas.js";
import { bearer, fetchRaw, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

let h: Harness;
let dir: string;
before(async () => {
  h = await harness({ kubernetesMinor: 33 });
  dir = await mkdtemp(join(tmpdir(), "rag-k8s-apply-"));
});
after(async () => {
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

const deployment = (name: string, replicas: number, image: string, labels: Record<string, string> = {}) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: "dev", labels: { app: name, ...labels } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image, ports: [{ containerPort: 80 }] }] } },
  },
});

function manifest(name: string, object: unknown): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(object));
  return file;
}

const applyRaw = (path: string, body: string, query: string) =>
  fetchRaw(h.sandbox, `${path}?${query}`, { method: "PATCH", headers: { ...bearer(h.sandbox), "Content-Type": "application/apply-patch+yaml" }, body });

test("field sets follow the schema: associative lists by key, atomic selectors, fieldsV1 round trip, conflict paths", () => {
  const set = toFieldSet(deployment("x", 1, "nginx"), kindSchema("apps/v1", "Deployment"));
  const keys = [...set.keys()].map(pathString);
  for (const want of [".spec.replicas", ".spec.selector", '.spec.template.spec.containers[name="web"]', '.spec.template.spec.containers[name="web"].image', '.spec.template.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]', ".metadata.labels.app"]) {
    assert.ok(keys.includes(want), `${want} in ${keys.join(" ")}`);
  }
  assert.ok(!keys.some((k) => k.startsWith(".spec.selector.")), "LabelSelector is atomic: owned as a whole");
  assert.deepEqual(fromFieldsV1(toFieldsV1(set.keys())), new Set(set.keys()));
  assert.deepEqual(toFieldsV1(["f:metadata\nf:labels", "f:metadata\nf:labels\nf:app"]), { "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } });
});

test("kubectl apply --server-side creates, records the Apply manager, conflicts with 409 naming the fields, and --force-conflicts takes them", async () => {
  const first = manifest("first", deployment("ssa", 2, "nginx:1"));
  assert.match(await h.ok("apply", "--server-side", "-f", first), /deployment.apps\/ssa serverside-applied/);
  const managed = JSON.parse(await h.ok("get", "deployment", "ssa", "-n", "dev", "-o", "json", "--show-managed-fields")) as { metadata: { managedFields: { manager: string; operation: string; fieldsV1: Record<string, unknown> }[] } };
  assert.deepEqual(managed.metadata.managedFields.map((m) => [m.manager, m.operation]), [["kubectl", "Apply"]]);

  const second = manifest("second", deployment("ssa", 3, "nginx:2"));
  const conflict = await h.kubectl("apply", "--server-side", "--field-manager=team-b", "-f", second);
  assert.notEqual(conflict.code, 0);
  assert.match(conflict.stderr, /Apply failed with 2 conflicts: conflicts with "kubectl":\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="web"\]\.image/);

  const raw = await applyRaw("/apis/apps/v1/namespaces/dev/deployments/ssa", JSON.stringify(deployment("ssa", 3, "nginx:1")), "fieldManager=team-b");
  assert.equal(raw.status, 409);
  const status = JSON.parse(raw.body) as { reason: string; message: string; details: { causes: { reason: string; message: string; field: string }[] } };
  assert.equal(status.reason, "Conflict");
  assert.equal(status.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
  assert.deepEqual(status.details.causes, [{ reason: "FieldManagerConflict", message: 'conflict with "kubectl"', field: ".spec.replicas" }]);

  assert.match(await h.ok("apply", "--server-side", "--field-manager=team-b", "--force-conflicts", "-f", second), /serverside-applied/);
  assert.equal(await h.ok("get", "deployment", "ssa", "-n", "dev", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"), "3 nginx:2");
  const owners = JSON.parse(await h.ok("get", "deployment", "ssa", "-n", "dev", "-o", "json", "--show-managed-fields")) as { metadata: { managedFields: { manager: string; fieldsV1: { "f:spec"?: Record<string, unknown> } }[] } };
  const kubectl = owners.metadata.managedFields.find((m) => m.manager === "kubectl");
  assert.ok(kubectl && !("f:replicas" in (kubectl.fieldsV1["f:spec"] ?? {})), "forcing moved .spec.replicas away from kubectl");
});

test("applying the same value shares ownership; dropping a field from the configuration removes it", async () => {
  const base = deployment("shared", 1, "nginx:1", { team: "a" });
  assert.match(await h.ok("apply", "--server-side", "-f", manifest("shared", base)), /serverside-applied/);
  assert.match(await h.ok("apply", "--server-side", "--field-manager=mirror", "-f", manifest("shared-mirror", base)), /serverside-applied/, "same values: no conflict");
  const withoutTeam = deployment("shared", 1, "nginx:1");
  assert.match(await h.ok("apply", "--server-side", "-f", manifest("shared-1", withoutTeam)), /serverside-applied/);
  assert.equal(await h.ok("get", "deployment", "shared", "-n", "dev", "-o", "jsonpath={.metadata.labels.team}"), "a", "mirror still owns the label, so it stays");
  assert.match(await h.ok("apply", "--server-side", "--field-manager=mirror", "-f", manifest("shared-2", withoutTeam)), /serverside-applied/);
  assert.equal(await h.ok("get", "deployment", "shared", "-n", "dev", "-o", "jsonpath={.metadata.labels}"), '{"app":"shared"}', "no manager owns it any more: removed");
});

test("objects that were never applied belong to before-first-apply; updates are tracked under their manager", async () => {
  const fixture = await applyRaw("/apis/apps/v1/namespaces/prod/deployments/api", JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api" }, spec: { replicas: 9 } }), "fieldManager=ops");
  assert.equal(fixture.status, 409);
  assert.match(fixture.body, /conflict with \\"before-first-apply\\" using apps\/v1: .spec.replicas/);

  assert.match(await h.ok("create", "configmap", "tracked", "-n", "dev", "--from-literal=a=1"), /created/);
  const conflict = await applyRaw("/api/v1/namespaces/dev/configmaps/tracked", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tracked}\ndata: {a: '2'}\n", "fieldManager=ops");
  assert.equal(conflict.status, 409);
  assert.match(conflict.body, /conflict with \\"kubectl-create\\" using v1: .data.a/);
});

test("apply validates its request as the API server does", async () => {
  const cases: [string, string, string, number, RegExp][] = [
    ["no fieldManager", "/api/v1/namespaces/dev/configmaps/x", "", 422, /fieldManager: Required value: is required for apply patch/],
    ["force on a merge patch", "/api/v1/namespaces/dev/configmaps/web-config", "force=true", 422, /force: Forbidden: may not be specified for non-apply patch/],
    ["wrong kind", "/api/v1/namespaces/dev/configmaps/x", "fieldManager=t", 400, /must be v1, ConfigMap/],
    ["not YAML", "/api/v1/namespaces/dev/configmaps/x", "fieldManager=t", 400, /not valid YAML/],
  ];
  for (const [name, path, query, code, message] of cases) {
    const merge = name === "force on a merge patch";
    const body = name === "wrong kind" ? "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\n" : name === "not YAML" ? "a: [" : merge ? "{}" : "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n";
    const res = await fetchRaw(h.sandbox, `${path}?${query}`, { method: "PATCH", headers: { ...bearer(h.sandbox), "Content-Type": merge ? "application/merge-patch+json" : "application/apply-patch+yaml" }, body });
    assert.equal(res.status, code, name);
    assert.match(res.body, message, name);
  }
  const created = await applyRaw("/api/v1/namespaces/dev/configmaps/from-apply", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-apply}\ndata: {k: v}\n", "fieldManager=t");
  assert.equal(created.status, 201, "apply creates a missing object with 201");
});
