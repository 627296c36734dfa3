import assert from "node:assert/strict";
import { test } from "node:test";
import { loadPolicy, summarizePolicy } from "../../src/policy/index.js";

test("the model's policy summary says 'never' only about what this policy forbids", () => {
  const policy = loadPolicy();
  assert.match(summarizePolicy(policy), /never: .*delete pods/);
  const permissive = { ...policy, config: { ...policy.config, forbidden: policy.config.forbidden.filter((rule) => rule.resource !== "pods"), secrets: { allowGet: true } } };
  const summary = summarizePolicy(permissive);
  assert.doesNotMatch(summary, /delete pods|secrets output/);
  assert.match(summary, /never: .*identity or target flags/);
});
