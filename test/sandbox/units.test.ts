import assert from "node:assert/strict";
import { test } from "node:test";
import { jsonPatch, mergePatch, strategicMerge } from "../../src/sandbox/patch.js";
import { fieldMatcher, labelsMatch, parseLabelSelector } from "../../src/sandbox/selectors.js";
import { RESOURCES } from "../../src/sandbox/resources.js";
import { humanDuration } from "../../src/sandbox/age.js";
import type { KubeObject } from "../../src/sandbox/types.js";

test("label selectors: the full grammar", () => {
  const labels = { app: "web", tier: "api", env: "prod" };
  assert.equal(labelsMatch(labels, "app=web"), true);
  assert.equal(labelsMatch(labels, "app==web,tier=api"), true);
  assert.equal(labelsMatch(labels, "app!=web"), false);
  assert.equal(labelsMatch(labels, "missing!=x"), true);
  assert.equal(labelsMatch(labels, "tier in (api,worker)"), true);
  assert.equal(labelsMatch(labels, "tier notin (api, worker)"), false);
  assert.equal(labelsMatch(labels, "missing notin (a)"), true);
  assert.equal(labelsMatch(labels, "env"), true);
  assert.equal(labelsMatch(labels, "!env"), false);
  assert.equal(labelsMatch(labels, "!missing,app in (web)"), true);
  assert.equal(labelsMatch(labels, ""), true);
  assert.throws(() => parseLabelSelector("app in web"), /unable to parse requirement/);
  assert.throws(() => parseLabelSelector("app=web tier=api"), /unable to parse requirement/);
});

test("field selectors: per-resource fields, != and unknown fields", () => {
  const pods = RESOURCES.find((r) => r.kind === "Pod" && r.group === "");
  assert.ok(pods);
  const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "a", namespace: "prod" }, spec: { nodeName: "worker-1" }, status: { phase: "Running" } } as KubeObject;
  assert.equal(fieldMatcher("spec.nodeName=worker-1,status.phase!=Failed", pods.fieldLabels)(pod), true);
  assert.equal(fieldMatcher("status.phase==Pending", pods.fieldLabels)(pod), false);
  assert.equal(fieldMatcher("metadata.namespace=prod", pods.fieldLabels)(pod), true);
  assert.throws(() => fieldMatcher("spec.foo=bar", pods.fieldLabels), /field label not supported: spec.foo/);
});

test("merge patch deletes with null and replaces lists", () => {
  assert.deepEqual(mergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { b: { c: null, e: 4 }, l: [3] }), { a: 1, b: { d: 3, e: 4 }, l: [3] });
});

test("JSON patch: add, replace, remove, test, escaped pointers", () => {
  const doc = { metadata: { annotations: { "a/b": "1" } }, list: [1, 2] };
  const out = jsonPatch(doc, [
    { op: "replace", path: "/metadata/annotations/a~1b", value: "2" },
    { op: "add", path: "/list/-", value: 3 },
    { op: "remove", path: "/list/0" },
    { op: "test", path: "/list/0", value: 2 },
  ]);
  assert.deepEqual(out, { metadata: { annotations: { "a/b": "2" } }, list: [2, 3] });
  assert.throws(() => jsonPatch(doc, [{ op: "test", path: "/list/0", value: 9 }]), /testing value/);
  assert.deepEqual(doc.list, [1, 2], "the input is not modified");
});

test("strategic merge patch merges containers by name and honours directives", () => {
  const current = { spec: { containers: [{ name: "a", image: "a:1", env: [{ name: "X", value: "1" }] }, { name: "b", image: "b:1" }], finalizers: ["x"] } };
  const out = strategicMerge(current, {
    spec: {
      containers: [{ name: "a", image: "a:2", env: [{ name: "Y", value: "2" }] }, { name: "b", $patch: "delete" }],
      finalizers: ["y"],
    },
  });
  assert.deepEqual(out, { spec: { containers: [{ name: "a", image: "a:2", env: [{ name: "X", value: "1" }, { name: "Y", value: "2" }] }], finalizers: ["x", "y"] } });
  assert.deepEqual(strategicMerge({ m: { a: 1, b: 2 } }, { m: { $patch: "replace", c: 3 } }), { m: { c: 3 } });
  assert.deepEqual(strategicMerge({ spec: { template: { metadata: { annotations: { x: "1" } } } } }, { spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "t" } } } } }), {
    spec: { template: { metadata: { annotations: { x: "1", "kubectl.kubernetes.io/restartedAt": "t" } } } },
  });
});

test("ages print like kubectl", () => {
  assert.equal(humanDuration(45_000), "45s");
  assert.equal(humanDuration(150_000), "2m30s");
  assert.equal(humanDuration(45 * 60_000), "45m");
  assert.equal(humanDuration(5 * 3600_000 + 60_000), "5h1m");
  assert.equal(humanDuration(30 * 86400_000), "30d");
});
