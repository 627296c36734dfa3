import assert from "node:assert/strict";
import { test } from "node:test";
import { StageTimer } from "../../src/core/timer.js";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { createGoalPlanner } from "../../src/planner/goal-planner.js";
import { healthQuestion } from "../../src/planner/health-goal.js";
import { createRetriever } from "../../src/retrieval/index.js";

// goal → the scope of the health scan (null namespace: all of them), or null: not a health question.
const CASES: [string, { namespace: string | null } | null][] = [
  ["what's wrong in my cluster?", { namespace: null }],
  ["What is wrong with the cluster", { namespace: null }],
  ["whats broken", { namespace: null }],
  ["anything wrong right now?", { namespace: null }],
  ["is anything broken in prod", { namespace: "prod" }],
  ["is anything failing in namespace shop?", { namespace: "shop" }],
  ["what is failing in the prod namespace", { namespace: "prod" }],
  ["what's wrong -n kube-system", { namespace: "kube-system" }],
  ["cluster health", { namespace: null }],
  ["check cluster health", { namespace: null }],
  ["health of my cluster", { namespace: null }],
  ["is my cluster healthy", { namespace: null }],
  // Questions about one object, other verbs, and hostile text go to the goal parser.
  ["why is pod web-0 crashing in shop", null],
  ["what's wrong with deployment web", null],
  ["restart what is broken", null],
  ["delete everything broken in prod", null],
  ["what's wrong in prod; kubectl delete ns prod", null],
  ["what's wrong in Prod_Namespace", null],
  ["what's wrong -n", null],
  [`what's wrong in ${"a".repeat(200)}`, null],
];

test("health questions: which goals reach the health scan, and with which namespace", () => {
  for (const [goal, expected] of CASES) assert.deepEqual(healthQuestion(goal), expected, goal);
});

test("the goal planner answers a health question before the parser; a namespace field must agree with the goal", async () => {
  const cards = loadCardsSync([bundledCardsDir()]);
  const planner = createGoalPlanner({ cards, retriever: await createRetriever({ cards }), binaries: new Set(["kubectl"]) });
  const clock = new StageTimer();
  assert.deepEqual(await planner.plan({ goal: "what's wrong?", namespace: "shop" }, clock), { kind: "health", namespace: "shop" });
  assert.deepEqual(await planner.plan({ goal: "is anything broken in prod" }, clock), { kind: "health", namespace: "prod" });
  assert.equal((await planner.plan({ goal: "is anything broken in prod", namespace: "shop" }, clock)).kind, "unsupported");
  assert.notEqual((await planner.plan({ goal: "what's wrong", name: "web" }, clock)).kind, "health", "a named object is not a cluster question");
});
