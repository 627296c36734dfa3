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
