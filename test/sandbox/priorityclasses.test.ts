import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { decodeProtobufBody } from "../../src/sandbox/protobuf.js";
import { bearer, fetchBytes, field, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

// scheduling.k8s.io/v1 PriorityClasses: the API server's two system classes, its columns and its validation.
let h: Harness;
before(async () => {
  h = await harness({ kubernetesMinor: 33 });
});
after(() => h.close());

test("the system priority classes are there, printed with the API server's columns", async () => {
  const table = await h.ok("get", "priorityclasses");
  assert.match(table, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY$/m);
  assert.match(table, /^system-cluster-critical\s+2000000000\s+false\s+90d\s+PreemptLowerPriority$/m);
  assert.match(table, /^system-node-critical\s+2000001000\s+false\s+90d\s+PreemptLowerPriority$/m);
  assert.equal(await h.ok("get", "pc", "system-node-critical", "-o", "jsonpath={.description}"), "Used for system critical pods that must not be moved from their current node.");
  assert.match(await h.ok("explain", "priorityclass.value"), /value represents the integer value of this priority class/);
});

test("user classes are created (kubectl 1.33 sends protobuf), defaulted and validated", async () => {
  assert.match(await h.ok("create", "priorityclass", "batch-high", "--value=100000", "--description=batch work"), /priorityclass.scheduling.k8s.io\/batch-high created/);
  const created = h.sandbox.get("priorityclasses", undefined, "batch-high");
  assert.deepEqual([field(created, "value"), field(created, "preemptionPolicy"), field(created, "description")], [100000, "PreemptLowerPriority", "batch work"]);
  assert.ok(h.sandbox.requests.some((r) => r.path === "/apis/scheduling.k8s.io/v1/priorityclasses" && r.method === "POST" && r.contentType === "application/vnd.kubernetes.protobuf" && r.status === 201));
  const tooBig = await h.kubectl("create", "priorityclass", "too-big", "--value=2000000001");
  assert.match(tooBig.stderr, /value: Forbidden: maximum allowed value of a user defined priority is 1000000000/);
  const changed = await h.kubectl("patch", "pc", "batch-high", "--type=merge", "-p", '{"value":5}');
  assert.match(changed.stderr, /Value: Forbidden: may not be changed in an update\./);
  const policy = await h.kubectl("create", "priorityclass", "odd", "--value=1", "--preemption-policy=Sometimes");
  assert.match(policy.stderr, /preemptionPolicy: Unsupported value: "Sometimes"/);
  const pb = await fetchBytes(h.sandbox, "/apis/scheduling.k8s.io/v1/priorityclasses/batch-high", { ...bearer(h.sandbox), Accept: "application/vnd.kubernetes.protobuf" });
  assert.equal(pb.contentType, "application/vnd.kubernetes.protobuf");
  assert.equal(decodeProtobufBody(pb.body)["value"], 100000);
});
