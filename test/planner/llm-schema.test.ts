import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { buildPlanPrompt, buildSystemPrompt, buildUserPrompt, LLM_PLAN_JSON_SCHEMA, LlmPlanSchema } from "../../src/planner/llm/index.js";
import { VALID_PLAN } from "./llm-fakes.js";

describe("LlmPlanSchema", () => {
  test("accepts a complete plan, and an empty namespace for cluster-scoped commands", () => {
    assert.deepEqual(LlmPlanSchema.parse(VALID_PLAN), VALID_PLAN);
    assert.ok(LlmPlanSchema.safeParse({ ...VALID_PLAN, intent: "cordon", namespace: "", command: "kubectl cordon node-1" }).success);
  });

  const bad: [string, Record<string, unknown>][] = [
    ["an unknown intent", { intent: "delete" }],
    ["an upper-case namespace", { namespace: "Prod" }],
    ["a namespace ending in '-'", { namespace: "prod-" }],
    ["a namespace over 63 characters", { namespace: "a".repeat(64) }],
    ["an empty command", { command: "  " }],
    ["a command over 512 characters", { command: `kubectl get pods ${"x".repeat(500)}` }],
    ["a summary over 200 characters", { summary: "s".repeat(201) }],
    ["a number where a string belongs", { target: 3 }],
    ["an extra key", { extra: "x" }],
    ["a command with a newline", { command: "kubectl get pods -n prod\nkubectl delete ns prod" }],
    ["a summary with a terminal escape sequence", { summary: "done \u001b[2J" }],
    ["a target with invalid UTF-8 (U+FFFD)", { target: "deployment/w\uFFFDb" }],
  ];
  for (const [what, change] of bad) {
    test(`rejects ${what}`, () => {
      assert.equal(LlmPlanSchema.safeParse({ ...VALID_PLAN, ...change }).success, false);
    });
  }
  test("rejects a plan with a field missing", () => {
    const { summary: _summary, ...rest } = VALID_PLAN;
    assert.equal(LlmPlanSchema.safeParse(rest).success, false);
  });
});

describe("LLM_PLAN_JSON_SCHEMA", () => {
  const properties = LLM_PLAN_JSON_SCHEMA["properties"] as Record<string, Record<string, unknown>>;
  const fromZod = z.toJSONSchema(LlmPlanSchema) as { properties: Record<string, Record<string, unknown>> };

  test("has the zod schema's keys, all required, nothing else allowed", () => {
    assert.deepEqual(Object.keys(properties), Object.keys(LlmPlanSchema.shape));
    assert.deepEqual(LLM_PLAN_JSON_SCHEMA["required"], Object.keys(LlmPlanSchema.shape));
    assert.equal(LLM_PLAN_JSON_SCHEMA["additionalProperties"], false);
  });

  test("bounds every string with zod's limits and has no numbers", () => {
    for (const [key, property] of Object.entries(properties)) {
      assert.equal(property["type"], "string", key);
      if (key === "intent") {
        assert.deepEqual(property["enum"], fromZod.properties[key]?.["enum"]);
        continue;
      }
      assert.equal(typeof property["maxLength"], "number", `${key} has no maxLength`);
      assert.equal(property["maxLength"], fromZod.properties[key]?.["maxLength"], key);
    }
    assert.doesNotMatch(JSON.stringify(LLM_PLAN_JSON_SCHEMA), /"(number|integer)"/);
  });
});

describe("plan prompt", () => {
  const policy = "- deletes are denied\n- namespaces kube-system is read-only";

  test("the system part is byte-identical whatever the request, so it can stay in the KV cache", () => {
    const a = buildPlanPrompt({ policySummary: policy, context: "card A", task: { goal: "restart web in prod" } });
    const b = buildPlanPrompt({ policySummary: policy, context: "card B", task: { request: { intent: "scale" } } });
    assert.equal(a.system, b.system);
    assert.equal(a.system, buildSystemPrompt(policy));
    assert.notEqual(a.prompt, b.prompt);
  });

  test("the system part states the rules and carries the policy summary", () => {
    const system = buildSystemPrompt(policy);
    assert.match(system, /kubectl or flux/);
    assert.match(system, /shell operators/);
    assert.match(system, /namespace explicitly/);
    assert.match(system, /Never ask questions/);
    assert.ok(system.includes(policy));
    assert.doesNotMatch(buildSystemPrompt(""), /Policy/);
  });

  test("the request part holds the card context and the task, structured requests with sorted keys", () => {
    const goal = buildUserPrompt("card: kubectl rollout restart", { goal: "  restart web  " });
    assert.match(goal, /card: kubectl rollout restart/);
    assert.match(goal, /Goal: restart web$/);
    const a = buildUserPrompt("", { request: { name: "web", intent: "restart", constraints: { dryRun: true, confirm: false } } });
    const b = buildUserPrompt("", { request: { constraints: { confirm: false, dryRun: true }, intent: "restart", name: "web" } });
    assert.equal(a, b);
    assert.match(a, /\(none matched\)/);
    assert.match(a, /Request: \{"constraints":\{"confirm":false,"dryRun":true\},"intent":"restart","name":"web"\}/);
  });
});
