import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import type { Card } from "../../src/cards/index.js";
import { parseInventory } from "../../src/kube/index.js";
import type { Inventory, InventorySnapshot } from "../../src/kube/index.js";
import { createModelPlanner, createPlanner } from "../../src/planner/index.js";
import type { ModelPlanner, Planning, StageClock } from "../../src/planner/index.js";
import { answerFromSteps, answerSchema, answerSteps, cardChoices, createPlanPrompter, formatAnswer, parseAnswer } from "../../src/planner/llm/index.js";
import type { CardChoice, ChoiceRequest, ChoiceResult, LlmProvider, LlmRequest, LlmResult, ParserPartial } from "../../src/planner/llm/index.js";
import { renderAnswer } from "../../src/planner/model-planner.js";
import { createRetriever } from "../../src/retrieval/index.js";
import { VALID_PLAN } from "./llm-fakes.js";

const cardSet = loadCardsSync([bundledCardsDir()]);
const cards = cardSet.cards;
const card = (id: string) => cards.find((c) => c.id === id) as Card;

function inventory(): InventorySnapshot {
  const cluster = { items: [...["prod", "staging", "data"].map((name) => ({ kind: "Namespace", metadata: { name } })), { kind: "Node", metadata: { name: "worker-3" } }] };
  const namespaced = {
    items: [
      { kind: "Deployment", metadata: { name: "web", namespace: "prod" }, spec: { replicas: 2 } },
      { kind: "Deployment", metadata: { name: "api", namespace: "prod" }, spec: { replicas: 2 } },
      { kind: "Deployment", metadata: { name: "web", namespace: "staging" }, spec: { replicas: 1 } },
      { kind: "StatefulSet", metadata: { name: "postgres", namespace: "data" }, spec: { replicas: 1 } },
    ],
  };
  const snapshot = parseInventory(JSON.stringify({ items: [...cluster.items, ...namespaced.items] }), 1);
  assert.ok(snapshot.ok);
  return snapshot;
}

const partial = (p: Partial<ParserPartial> = {}): ParserPartial => ({ names: [], params: {}, cards: [], ...p });
const choiceOf = (choices: readonly CardChoice[], id: string) => choices.find((c) => c.card.id === id);
const options = (choice: CardChoice | undefined, chosen: Record<string, string> = {}) =>
  Object.fromEntries((choice?.params(chosen) ?? []).map((p) => [p.name, p.options]));

describe("card choices: each card with only its own parameters, values its validators accept", () => {
  const cases: { what: string; goal: string; partial: ParserPartial; inventory?: InventorySnapshot; card: string; chosen?: Record<string, string>; expect: Record<string, readonly (string | null)[]> | null }[] = [
    {
      what: "the parser's namespace and a mentioned name that exists are the only options",
      goal: "bounce web in prod",
      partial: partial({ namespace: "prod", names: ["web"] }),
      inventory: inventory(),
      card: "deployment-restart",
      expect: { namespace: ["prod"], name: ["web"] },
    },
    {
      what: "with a cluster, names are the objects of the card's kind in the chosen namespace",
      goal: "restart it",
      partial: partial(),
      inventory: inventory(),
      card: "deployment-restart",
      chosen: { namespace: "staging" },
      expect: { namespace: ["prod", "staging"], name: ["web"] },
    },
    {
      what: "a namespace the parser read but the cluster does not have is not pinned",
      goal: "restart web in that",
      partial: partial({ namespace: "that", names: ["web"] }),
      inventory: inventory(),
      card: "deployment-restart",
      expect: { namespace: ["prod", "staging"], name: ["web"] },
    },
    {
      what: "without a cluster, names come from the parser's reading of the goal",
      goal: "restart web in prod",
      partial: partial({ namespace: "prod", names: ["web"] }),
      card: "deployment-restart",
      expect: { namespace: ["prod"], name: ["web"] },
    },
    {
      what: "an integer comes from the goal's numbers, within the parameter's bounds",
      goal: "scale web in prod to 3 or 99999",
      partial: partial({ namespace: "prod", names: ["web"] }),
      card: "deployment-scale",
      expect: { namespace: ["prod"], name: ["web"], replicas: ["3"] },
    },
    {
      what: "a card whose required value is nowhere (no replica count) is not offered",
      goal: "scale web in prod",
      partial: partial({ namespace: "prod", names: ["web"] }),
      card: "deployment-scale",
      expect: null,
    },
    {
      what: "an enum parameter offers its values, and null when it is optional",
      goal: "warning events in prod",
      partial: partial({ namespace: "prod" }),
      card: "events-recent",
      expect: { namespace: ["prod"], type: ["Normal", "Warning", null] },
    },
    {
      what: "a value looked up from the cluster (the newest ready pod) is never the model's to fill",
      goal: "logs of web in prod",
      partial: partial({ namespace: "prod", names: ["web"] }),
      inventory: inventory(),
      card: "deployment-logs",
      expect: { namespace: ["prod"], name: ["web"], all_containers: ["true", null] },
    },
    {
      what: "node names come from the cluster's nodes",
      goal: "cordon the third worker",
      partial: partial(),
      inventory: inventory(),
      card: "node-cordon",
      expect: { name: ["worker-3"] },
    },
  ];
  for (const c of cases) {
    test(c.what, () => {
      const choices = cardChoices(cards, { goal: c.goal, partial: c.partial, inventory: c.inventory });
      const choice = choiceOf(choices, c.card);
      if (c.expect === null) return assert.equal(choice, undefined);
      assert.ok(choice, `${c.card} offered`);
      assert.deepEqual(options(choice, c.chosen), c.expect);
    });
  }

  const asked: [string, boolean][] = [
    ["bounce web in prod", true],
    ["pls resart web in prod", true],
    ["why is web slow in prod", false],
    ["what is web doing in prod", false],
  ];
  for (const [goal, offered] of asked) {
    test(`a card that changes the cluster is offered only when the goal asks for that change: "${goal}"`, () => {
      const ids = cardChoices(cards, { goal, partial: partial({ namespace: "prod", names: ["web"] }), inventory: inventory() }).map((c) => c.card.id);
      assert.equal(ids.includes("deployment-restart"), offered);
      assert.ok(ids.includes("deployment-describe"), "read-only cards are always offered");
    });
  }

  test("cards are offered in retrieval order, then the parser's candidates, then the catalog", () => {
    const choices = cardChoices(cards, { goal: "restart web in prod", partial: partial({ namespace: "prod", names: ["web"], cards: [{ id: "deployment-describe", missing: [] }] }) }, ["deployment-restart"]);
    assert.deepEqual(choices.slice(0, 2).map((c) => c.card.id), ["deployment-restart", "deployment-describe"]);
  });
});

describe("the answer as decisions and as a JSON Schema", () => {
  const context = { goal: "restart it", partial: partial(), inventory: inventory() };
  const choices = cardChoices(cards, context, ["deployment-restart"]);

  test("steps: the card first (or none), then that card's parameters, names depending on the namespace chosen", () => {
    const steps = answerSteps(choices);
    const first = steps([]);
    assert.equal(first?.before, '{"card": ');
    assert.equal(first?.options[0], '"deployment-restart"');
    assert.equal(first?.options.at(-1), '"none"');
    assert.deepEqual(steps(['"deployment-restart"']), { key: "namespace", before: ', "namespace": ', options: ['"prod"', '"staging"'] });
    assert.deepEqual(steps(['"deployment-restart"', '"staging"']), { key: "name", before: ', "name": ', options: ['"web"'] });
    assert.equal(steps(['"deployment-restart"', '"staging"', '"web"']), null);
    assert.deepEqual(answerFromSteps(choices, ['"deployment-restart"', '"staging"', '"web"']), { cardId: "deployment-restart", values: { namespace: "staging", name: "web" } });
    assert.equal(answerFromSteps(choices, ['"none"']), null);
  });

  test("schema: an object whose answer is one of the cards, each with only its own parameters as enums", () => {
    const schema = answerSchema(choices) as { type: string; required: string[]; properties: { answer: { anyOf: { properties: Record<string, { enum: unknown[] }>; required: string[]; additionalProperties: boolean }[] } } };
    assert.equal(schema.type, "object");
    assert.deepEqual(schema.required, ["answer"]);
    const variants = schema.properties.answer.anyOf;
    assert.equal(variants.length, choices.length + 1);
    const restart = variants.find((v) => v.properties["card"]?.enum[0] === "deployment-restart");
    assert.deepEqual(restart && Object.keys(restart.properties), ["card", "namespace", "name"]);
    assert.deepEqual(restart?.properties["name"]?.enum, ["api", "web"], "names over every namespace offered");
    assert.deepEqual(restart?.required, ["card", "namespace", "name"]);
    assert.equal(restart?.additionalProperties, false);
    assert.deepEqual(variants.at(-1)?.properties["card"]?.enum, ["none"]);
  });

  const answers: [string, unknown, string | null][] = [
    ["a card answer with offered values", { answer: { card: "deployment-restart", namespace: "prod", name: "web" } }, null],
    ["a card that was not offered (no replica count in the goal)", { answer: { card: "deployment-scale", namespace: "prod", name: "web", replicas: "3" } }, "is not one offered"],
    ["a parameter the card does not have", { answer: { card: "deployment-restart", namespace: "prod", name: "web", replicas: "3" } }, 'no parameter "replicas"'],
    ["a name that does not exist in that namespace", { answer: { card: "deployment-restart", namespace: "staging", name: "api" } }, 'name: "api" is not one of the values offered'],
    ["a value carrying another argument", { answer: { card: "deployment-restart", namespace: "prod", name: "web --all" } }, "is not one of the values offered"],
    ["a bare answer without the wrapper", { card: "deployment-restart" }, "is not {"],
  ];
  for (const [what, value, reason] of answers) {
    test(`parseAnswer: ${what}`, () => {
      const parsed = parseAnswer(choices, value);
      if (reason === null) return assert.deepEqual(parsed, { ok: true, answer: { cardId: "deployment-restart", values: { namespace: "prod", name: "web" } } });
      assert.equal(parsed.ok, false);
      assert.match(parsed.ok ? "" : parsed.reason, new RegExp(reason.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    });
  }

  const bad: [string, Record<string, string>][] = [
    ["an upper-case name", { namespace: "prod", name: "Web" }],
    ["a name that is a flag", { namespace: "prod", name: "-A" }],
    ["a namespace with a space", { namespace: "prod staging", name: "web" }],
  ];
  for (const [what, values] of bad) {
    test(`an answer with ${what} is refused by the card's validators, never rendered`, () => {
      const rendering = renderAnswer(card("deployment-restart"), { cardId: "deployment-restart", values });
      assert.equal(rendering.kind, "invalid");
    });
  }

  test("an answer is rendered through the card template", () => {
    const rendering = renderAnswer(card("deployment-scale"), { cardId: "deployment-scale", values: { namespace: "prod", name: "web", replicas: "3" } });
    assert.equal(rendering.kind === "plan" && rendering.plan.command, "kubectl scale deployment/web -n prod --replicas=3");
    assert.equal(rendering.kind === "plan" && rendering.plan.planner, "llm");
  });

  test("formatAnswer writes the answer as the catalog's examples and the decoder do", () => {
    assert.equal(formatAnswer("deployment-scale", [["namespace", "prod"], ["since", null]]), '{"card": "deployment-scale", "namespace": "prod", "since": null}');
  });
});

describe("the card prompt", () => {
  const prompter = createPlanPrompter({ policySummary: "- deletes are denied", cards });
  const hits = [{ card: card("deployment-restart") }];

  test("carries the cluster's names first, then the closest cards, the parser's partial reading and the goal; the fixed part is unchanged", () => {
    const task = prompter.buildCardTask("bounce web in prod pls", hits, { partial: partial({ namespace: "prod", names: ["web"], cards: [{ id: "deployment-restart", missing: ["name"] }] }), inventory: inventory() });
    assert.equal(task.system, prompter.system);
    assert.ok(task.prompt.startsWith("Cluster:\nnamespaces: data, prod, staging\nnodes: worker-3\ndeployment: prod/api, prod/web, staging/web\nstatefulset: data/postgres\n"), task.prompt);
    assert.ok(task.prompt.includes("Closest cards: deployment-restart"));
    assert.ok(task.prompt.includes("Parser: namespace prod; names web; cards deployment-restart (needs name)"));
    assert.ok(task.prompt.endsWith("Goal: bounce web in prod pls"));
  });

  test("the cluster text is the same for different goals of one snapshot, so it stays in the evaluated prefix", () => {
    const a = prompter.buildCardTask("restart web", hits, { partial: partial(), inventory: inventory() }).prompt;
    const b = prompter.buildCardTask("describe api in prod", hits, { partial: partial({ namespace: "prod" }), inventory: inventory() }).prompt;
    const cluster = (text: string) => text.slice(0, text.indexOf("\n\nClosest"));
    assert.equal(cluster(a), cluster(b));
  });

  test("without a cluster it says so", () => {
    assert.match(prompter.buildCardTask("restart web", hits, { partial: partial() }).prompt, /^Cluster: not available/);
  });
});

const clock: StageClock = { time: (_stage, work) => work(), timeAsync: (_stage, work) => work() };
const fallback: Extract<Planning, { kind: "needs_input" }> = { kind: "needs_input", message: "which one?", missing: ["name"], candidates: [] };
const staticInventory = (snapshot: InventorySnapshot): Inventory => ({ snapshot: async () => snapshot, refresh: async () => snapshot });

/** A provider that chooses scripted options (by text) and records what it was asked. */
class ChoosingProvider implements LlmProvider {
  readonly id = "choosing:test";
  readonly asked: ChoiceRequest[] = [];
  generated = 0;
  constructor(private readonly pick: (options: readonly string[], step: number) => string) {}
  async generate(_request: LlmRequest): Promise<LlmResult> {
    this.generated++;
    return { text: JSON.stringify(VALID_PLAN), promptTokens: 10, completionTokens: 10, durationMs: 1 };
  }
  async choose(request: ChoiceRequest): Promise<ChoiceResult> {
    this.asked.push(request);
    const chosen: string[] = [];
    for (let step = request.next(chosen); step !== null; step = request.next(chosen)) chosen.push(this.pick(step.options, chosen.length));
    return { chosen, text: "", promptTokens: 50, completionTokens: 12, decisions: 3, durationMs: 1 };
  }
  async close(): Promise<void> {}
}

describe("the model planner's card path", async () => {
  const retriever = await createRetriever({ cards: cardSet, mode: "lexical" });
  const planner = (provider: LlmProvider) =>
    createModelPlanner({ cards: cardSet, retriever, policySummary: "", load: async () => provider, planCacheSize: 8, k: 4, tokenBudget: 1200, maxTokens: 64, temperature: 0 });

  test("the chosen card is rendered through its template with the chosen values; no free command is asked", async () => {
    const provider = new ChoosingProvider((options, step) => (step === 0 ? '"deployment-restart"' : (options[0] as string)));
    const planning = await planner(provider).plan("bounce web in prod", fallback, clock, staticInventory(inventory()));
    assert.equal(planning.kind, "plan");
    assert.equal(planning.kind === "plan" && planning.plan.command, "kubectl rollout restart deployment/web -n prod");
    assert.equal(planning.kind === "plan" && planning.plan.cardId, "deployment-restart");
    assert.equal(provider.generated, 0);
    assert.match(provider.asked[0]?.prompt ?? "", /deployment: prod\/api, prod\/web, staging\/web/);
  });

  test("a card needing the newest ready pod answers needs_lookup, as the parser's plans do", async () => {
    const provider = new ChoosingProvider((options, step) => (step === 0 ? '"deployment-logs"' : (options.at(-1) as string)));
    const planning = await planner(provider).plan("logs of web in prod", fallback, clock, staticInventory(inventory()));
    assert.equal(planning.kind, "needs_lookup");
  });

  test("no card: the free command is the last resort", async () => {
    const provider = new ChoosingProvider(() => '"none"');
    const planning = await planner(provider).plan("do the thing with web in prod", fallback, clock);
    assert.equal(provider.generated, 1);
    assert.equal(planning.kind === "plan" && planning.plan.command, VALID_PLAN.command);
    assert.match(planning.kind === "plan" ? (planning.notes ?? []).join() : "", /the model found no card that fits/);
  });

  test("a schema-only server's answer with a value it was not offered is refused, then the free command is asked", async () => {
    const outputs = [JSON.stringify({ answer: { card: "deployment-restart", namespace: "prod", name: "web; kubectl delete ns prod" } }), JSON.stringify(VALID_PLAN)];
    const requests: LlmRequest[] = [];
    const provider: LlmProvider = {
      id: "schema:test",
      generate: async (request) => {
        requests.push(request);
        return { text: outputs[requests.length - 1] ?? "", promptTokens: 1, completionTokens: 1, durationMs: 1 };
      },
      close: async () => undefined,
    };
    const planning = await planner(provider).plan("bounce web in prod", fallback, clock, staticInventory(inventory()));
    assert.ok(requests[0]?.schema["properties"], "the first request carries the card answer schema");
    assert.equal(planning.kind === "plan" && planning.plan.command, VALID_PLAN.command, "the refused answer was never rendered");
    assert.match(planning.kind === "plan" ? (planning.notes ?? []).join() : "", /card answer refused: name: .* is not one of the values offered/);
  });

  test("the deterministic parser's complete plan wins: the model is not asked", async () => {
    let asked = 0;
    const model: ModelPlanner = {
      plan: async () => {
        asked++;
        return fallback;
      },
      warm: async () => undefined,
      close: async () => undefined,
    };
    const full = createPlanner({ cards: cardSet, retriever, binaries: new Set(["kubectl"]), model });
    const planning = await full.plan({ goal: "restart deployment web in prod" }, clock);
    assert.equal(planning.kind === "plan" && planning.plan.planner, "goal-parser");
    assert.equal(asked, 0);
  });
});

const TINY = join(fileURLToPath(new URL("../..", import.meta.url)), ".cache", "models", "tiny-llama-q8_0.gguf");
describe("choose on a real GGUF (the tiny random llama)", { skip: existsSync(TINY) ? false : `${TINY} is absent; run \`bash scripts/make-models.sh\`` }, () => {
  test("every decision picks one of the options offered, and the answer text is their concatenation", async () => {
    const { LlamaCppProvider } = await import("../../src/planner/llm/native.js");
    const provider = await LlamaCppProvider.load({ modelPath: TINY, threads: 1, contextSize: 2048 });
    try {
      const choices = cardChoices(cards.slice(0, 12), { goal: "restart web in prod", partial: partial({ names: ["web"] }), inventory: inventory() });
      const next = answerSteps(choices);
      for (const goal of ["restart web", "restart web again"]) {
        const result = await provider.choose({ system: "Choose a card.", prompt: `Goal: ${goal}`, next });
        const texts: string[] = [];
        for (let i = 0; i < result.chosen.length; i++) {
          const step = next(result.chosen.slice(0, i));
          assert.ok(step?.options.includes(result.chosen[i] as string), `${result.chosen[i]} offered`);
          texts.push(`${step?.before}${result.chosen[i]}`);
        }
        assert.equal(next(result.chosen), null, "the answer is complete");
        assert.equal(result.text, texts.join(""));
        assert.ok(result.decisions >= 1 && result.completionTokens >= result.decisions);
      }
    } finally {
      await provider.close();
    }
  });
});
