import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { bearer, fetchRaw, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

let h: Harness;
before(async () => {
  h = await harness();
});
after(async () => {
  await h.close();
});

test("kubectl explain prints the upstream field documentation", async () => {
  const strategy = await h.ok("explain", "deployment.spec.strategy");
  assert.match(strategy, /FIELD: strategy <DeploymentStrategy>/);
  assert.match(strategy, /rollingUpdate\s+<RollingUpdateDeployment>\n\s+Rolling update config params\. Present only if DeploymentStrategyType =/);
  assert.match(strategy, /type\s+<string>\n\s+Type of deployment\. Can be "Recreate" or "RollingUpdate"\. Default is\n\s+RollingUpdate\./);
  const ports = await h.ok("explain", "pods.spec.containers.ports.protocol");
  assert.match(ports, /Protocol for port\. Must be UDP, TCP, or SCTP\. Defaults to "TCP"\./);
  assert.match(await h.ok("explain", "cronjob.spec.schedule"), /The schedule in Cron format/);
});

test("/openapi/v3 documents carry the schemas of their kinds in v3 form; /openapi/v2 is JSON for clients that accept it", async () => {
  const doc = JSON.parse((await fetchRaw(h.sandbox, "/openapi/v3/apis/apps/v1", { headers: bearer(h.sandbox) })).body) as { components: { schemas: Record<string, { properties?: Record<string, Record<string, unknown>> }> } };
  const deployment = doc.components.schemas["io.k8s.api.apps.v1.Deployment"];
  assert.deepEqual(deployment?.properties?.["spec"]?.["allOf"], [{ $ref: "#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec" }]);
  assert.ok(doc.components.schemas["io.k8s.api.core.v1.PodSpec"], "referenced definitions come along");
  assert.ok(!doc.components.schemas["io.k8s.api.batch.v1.Job"], "other groups' kinds stay in their own documents");
  const v2 = await fetchRaw(h.sandbox, "/openapi/v2", { headers: { ...bearer(h.sandbox), Accept: "application/json" } });
  assert.equal(v2.status, 200);
  assert.ok((JSON.parse(v2.body) as { definitions: Record<string, unknown> }).definitions["io.k8s.api.core.v1.Pod"]);
  const protobufOnly = await fetchRaw(h.sandbox, "/openapi/v2", { headers: { ...bearer(h.sandbox), Accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } });
  assert.equal(protobufOnly.status, 406);
});

test("Flux's CRDs carry the upstream schema, printer columns and subresources, and their kinds are in /openapi/v2 and v3", async () => {
  const crd = JSON.parse((await fetchRaw(h.sandbox, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/helmreleases.helm.toolkit.fluxcd.io", { headers: bearer(h.sandbox) })).body) as {
    spec: { versions: { name: string; served: boolean; storage: boolean; subresources: unknown; additionalPrinterColumns: { name: string }[]; schema: { openAPIV3Schema: { properties: { spec: { required: string[] } } } } }[] };
  };
  assert.deepEqual(crd.spec.versions.map((v) => [v.name, v.served, v.storage]), [["v2", true, true]]);
  const [v2] = crd.spec.versions;
  assert.deepEqual(v2?.subresources, { status: {} });
  assert.deepEqual(v2?.additionalPrinterColumns.map((c) => c.name), ["Age", "Ready", "Status"]);
  assert.deepEqual(v2?.schema.openAPIV3Schema.properties.spec.required, ["interval"]);
  const v3 = JSON.parse((await fetchRaw(h.sandbox, "/openapi/v3/apis/kustomize.toolkit.fluxcd.io/v1", { headers: bearer(h.sandbox) })).body) as { components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; "x-kubernetes-group-version-kind": unknown }> } };
  const kustomization = v3.components.schemas["io.fluxcd.toolkit.kustomize.v1.Kustomization"];
  assert.deepEqual(kustomization?.["x-kubernetes-group-version-kind"], [{ group: "kustomize.toolkit.fluxcd.io", kind: "Kustomization", version: "v1" }]);
  assert.deepEqual(kustomization?.properties["metadata"]?.["allOf"], [{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }]);
  assert.match(String((kustomization?.properties["spec"]?.["properties"] as Record<string, { description: string }>)["sourceRef"]?.description), /Reference of the source where the kustomization file is/);
  assert.ok(v3.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"], "ObjectMeta comes along");
  const v2doc = JSON.parse((await fetchRaw(h.sandbox, "/openapi/v2", { headers: { ...bearer(h.sandbox), Accept: "application/json" } })).body) as { definitions: Record<string, unknown> };
  assert.ok(v2doc.definitions["io.fluxcd.toolkit.helm.v2.HelmRelease"] && v2doc.definitions["io.fluxcd.toolkit.source.v1.GitRepository"]);
});
