import assert from "node:assert/strict";
import { test } from "node:test";
import { UsageError } from "../../src/core/errors.js";
import { mergeFlags, PARAM_FLAGS } from "../../src/interfaces/cli/request.js";

const FILE = { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 }, constraints: { confirm: true } };

test("flags add what a request file leaves out and never silently override it", () => {
  const rows: readonly { flags: Record<string, unknown>; merged?: Record<string, unknown>; conflict?: RegExp }[] = [
    { flags: { constraints: { dryRun: true } }, merged: { ...FILE, constraints: { confirm: true, dryRun: true } } },
    { flags: { constraints: { confirm: true, confirmToken: "0123456789abcdef" } }, merged: { ...FILE, constraints: { confirm: true, confirmToken: "0123456789abcdef" } } },
    { flags: { namespace: "staging", params: { replicas: 3 } }, merged: FILE },
    { flags: { params: { tail: 5 } }, merged: { ...FILE, params: { replicas: 3, tail: 5 } } },
    { flags: { namespace: "prod" }, conflict: /^--namespace says "prod" but f\.json says "staging" \(namespace\)/ },
    { flags: { params: { replicas: 5 } }, conflict: /^--replicas says 5 but f\.json says 3 \(params\.replicas\)/ },
  ];
  for (const row of rows) {
    if (row.conflict) assert.throws(() => mergeFlags(FILE, row.flags, "f.json"), (e: unknown) => e instanceof UsageError && row.conflict!.test(e.message));
    else assert.deepEqual(mergeFlags(FILE, row.flags, "f.json"), row.merged);
  }
  assert.throws(() => mergeFlags({ constraints: { dryRun: false } }, { constraints: { dryRun: true } }, "stdin"), /^UsageError: --dry-run says true but stdin says false \(constraints\.dryRun\)/);
});

test("typed parameter flags come from the request schema, named after the card parameters", () => {
  const byParam = new Map(PARAM_FLAGS.map((f) => [f.param, f]));
  assert.deepEqual(byParam.get("to_revision"), { param: "to_revision", flag: "--to-revision", property: "toRevision", kind: "integer", description: "revision to roll back to (rollout undo)" });
  assert.equal(byParam.get("previous")?.kind, "boolean");
  assert.equal(byParam.get("since")?.kind, "string");
});
