import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { z } from "zod";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import type { Card } from "../../src/cards/index.js";
import { buildPlanPrompt, buildSystemPrompt, buildUserPrompt, createPlanPrompter, formatAnswer, LLM_PLAN_JSON_SCHEMA, LlmPlanSchema } from "../../src/planner/llm/index.js";
import { VALID_PLAN } from "./llm-fakes.js";

/** What the free-command prompt ends with: the model is asked for a command only when no card fits. */
const COMMAND_ASK = "No card fits: reply with a command answer.";

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
    ["a command over 320 characters", { command: `kubectl get pods ${"x".repeat(310)}` }],
    ["a summary over 120 characters", { summary: "s".repeat(121) }],
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

describe("plan prompter", () => {
  const policy = "- deletes are denied";
  const cards = loadCardsSync([bundledCardsDir()]).cards;
  const byId = (id: string) => ({ card: cards.find((card) => card.id === id) as Card });
  const hits = [byId("deployment-restart"), byId("deployment-rollout-status"), byId("deployment-describe"), byId("deployment-logs"), byId("configmap-view")];

  test("a catalog within budget goes whole into the fixed part; a request carries only card ids and the task", () => {
    const prompter = createPlanPrompter({ policySummary: policy, cards });
    assert.equal(prompter.catalogInPrefix, true);
    for (const card of cards) assert.ok(prompter.system.includes(`${card.id} (${card.intent}): `), card.id);
    assert.ok(prompter.system.includes(policy));
    const a = prompter.build({ goal: "  restart web in shop " }, hits);
    const b = prompter.build({ request: { intent: "status", name: "web" } }, hits.slice(1));
    assert.equal(a.system, prompter.system);
    assert.equal(b.system, prompter.system);
    assert.equal(a.prompt, `Closest cards: deployment-restart, deployment-rollout-status, deployment-describe, deployment-logs\n\nGoal: restart web in shop\n${COMMAND_ASK}`);
    assert.match(b.prompt, /^Closest cards: deployment-rollout-status, /);
    assert.ok(b.prompt.endsWith(`Request: {"intent":"status","name":"web"}\n${COMMAND_ASK}`), b.prompt);
    assert.match(prompter.build({ goal: "x" }, []).prompt, /\(none matched\)/);
  });

  test("the catalog lists multi-step cards without shell operators, each card with its first example as a card answer", () => {
    const { system } = createPlanPrompter({ policySummary: "", cards });
    const catalog = system.slice(system.indexOf("Command cards"));
    assert.doesNotMatch(catalog, /[;|&]|\$\(/);
    const restart = cards.find((card) => card.id === "deployment-restart") as Card;
    const values = restart.examples[0]?.values ?? {};
    const answer = formatAnswer("deployment-restart", [["namespace", String(values["namespace"])], ["name", String(values["name"])]]);
    assert.ok(catalog.includes(`"${restart.examples[0]?.goal}" -> ${answer}`), catalog);
  });

  test("a catalog over budget falls back to the retrieved cards in each request", () => {
    const prompter = createPlanPrompter({ policySummary: policy, cards, catalogTokenBudget: 100 });
    assert.equal(prompter.catalogInPrefix, false);
    assert.equal(prompter.system, buildSystemPrompt(policy));
    const { prompt } = prompter.build({ goal: "restart web" }, hits);
    assert.match(prompt, /^Command cards:\n\[deployment-restart\]/);
    assert.ok(prompt.endsWith(`Goal: restart web\n${COMMAND_ASK}`), prompt);
  });
});
