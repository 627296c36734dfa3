import { spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { existsSync } from "node:fs";
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";
import type { Card } from "../../src/cards/index.js";
import { loadCardSet } from "../../src/app/catalog.js";
import { parseInventory } from "../../src/kube/index.js";
import type { InventorySnapshot } from "../../src/kube/index.js";
import { parserPartial, renderAnswer } from "../../src/planner/model-planner.js";
import { answerFromSteps, answerSteps, cardChoices, createPlanPrompter, LLM_DEFAULTS, LLM_PLAN_JSON_SCHEMA } from "../../src/planner/llm/index.js";
import { LlamaCppProvider } from "../../src/planner/llm/native.js";
import type { CardChoice, ChoiceResult, LlmRequest, LlmResult, PlanPrompt } from "../../src/planner/llm/index.js";
import { loadPolicy, summarizePolicy } from "../../src/policy/index.js";
import { createRetriever } from "../../src/retrieval/index.js";
import { formatNumber } from "../report.js";
import { FREE_TEXT_GOALS } from "../requests.js";
import { Findings } from "../section.js";
import type { BenchContext, Section } from "../section.js";
import { summarize } from "../stats.js";
import { openWorkspace, repoPath } from "../workspace.js";

const THREADS = 2;
const QUICK_CATALOG_CARDS = 8;

interface Model {
  readonly label: string;
  readonly path: string;
  /** The tiny model's ~420-piece vocabulary spends about a token per character: the prompt needs more room. */
  readonly contextSize?: number;
}

function benchModels(quick: boolean): Model[] {
  const model = (file: string) => repoPath(".cache", "models", file);
  return quick
    ? [{ label: "tiny llama Q8_0 (random weights)", path: model("tiny-llama-q8_0.gguf"), contextSize: 8_192 }]
    : [
        { label: "Qwen2.5-0.5B-shape Q8_0 (random weights)", path: model("bench-qwen2-0.5b-q8_0.gguf") },
        { label: "Qwen2.5-0.5B-shape Q4_0 (random weights)", path: model("bench-qwen2-0.5b-q4_0.gguf") },
      ];
}

/** The full run builds missing models once (a setup step, reported but never timed as part of a figure). */
function ensureModels(models: readonly Model[], ctx: BenchContext, f: Findings): void {
  if (ctx.quick || models.every((m) => existsSync(m.path))) return;
  ctx.log("  building the bench GGUFs with scripts/make-models.sh --bench (one-time setup)");
  const start = performance.now();
  const result = spawnSync("bash", [repoPath("scripts", "make-models.sh"), "--bench"], { stdio: ["ignore", "ignore", "inherit"] });
  f.note(`One-time setup: \`bash scripts/make-models.sh --bench\` took ${formatNumber((performance.now() - start) / 1000)} s (exit ${result.status}); not part of any figure.`);
}

/**
 * Tokens of the plan JSON for every card example (cl100k_base, the bench models' vocabulary): the length a
 * real model writes. Random weights never close a string early, so the bench asks for this many tokens.
 */
function examplePlanTokens(cards: readonly Card[]): number[] {
  return cards.flatMap((card) =>
    card.examples.map((example) => {
      const command = typeof example.command === "string" ? example.command : (example.command[0] ?? "");
      const name = example.values["name"];
      const plan = {
        intent: card.intent,
        namespace: String(example.values["namespace"] ?? ""),
        target: name === undefined ? "" : `${card.resource}/${String(name)}`,
        selector: String(example.values["selector"] ?? ""),
        command,
        summary: card.title,
      };
      return countTokens(JSON.stringify(plan));
    }),
  );
}

/** Output tokens per second after the first token (which carries the prompt evaluation). */
function decodeRate(r: LlmResult): number {
  const decodeMs = r.durationMs - (r.firstTokenMs ?? 0);
  return r.completionTokens > 1 && decodeMs > 0 ? ((r.completionTokens - 1) * 1_000) / decodeMs : 0;
}

/** The bench cluster: the names the bench goals speak of, so the card path chooses among names that exist. */
function benchInventory(): InventorySnapshot {
  const ns = (name: string) => ({ kind: "Namespace", metadata: { name } });
  const obj = (kind: string, namespace: string, name: string) => ({ kind, metadata: { name, namespace }, spec: { replicas: 2 } });
  const cluster = { items: [...["default", "staging", "prod", "payments", "flux-system", "monitoring"].map(ns), ...["worker-1", "worker-2", "worker-3"].map((name) => ({ kind: "Node", metadata: { name } }))] };
  const namespaced = {
    items: [
      obj("Deployment", "staging", "web"),
      obj("Deployment", "prod", "web"),
      obj("Deployment", "prod", "worker"),
      obj("Deployment", "payments", "payments-api"),
      obj("StatefulSet", "prod", "postgres"),
      obj("DaemonSet", "monitoring", "node-exporter"),
      obj("Kustomization", "flux-system", "apps"),
      obj("Kustomization", "flux-system", "infra"),
    ],
  };
  const snapshot = parseInventory(JSON.stringify({ items: [...cluster.items, ...namespaced.items] }), 0);
  if (!snapshot.ok) throw new Error(`bench inventory: ${snapshot.reason}`);
  return snapshot;
}

/** One goal on the card path: its prompt and the cards (with candidate values) the model chooses among. */
interface CardTask {
  readonly goal: string;
  readonly prompt: PlanPrompt;
  readonly choices: readonly CardChoice[];
}

interface Plan {
  readonly typicalTokens: number;
  /** The free-command prompts (the old path, kept as the baseline and as the last resort). */
  readonly requests: readonly PlanPrompt[];
  readonly cardTasks: readonly CardTask[];
  readonly runs: { readonly card: number; readonly typical: number; readonly cacheOff: number };
}

interface CardRun {
  readonly ms: number;
  readonly result: ChoiceResult;
  readonly outcome: string;
}

async function cardRun(provider: LlamaCppProvider, system: string, task: CardTask, cardsById: ReadonlyMap<string, Card>): Promise<CardRun> {
  const start = performance.now();
  const result = await provider.choose({ system, prompt: task.prompt.prompt, next: answerSteps(task.choices) });
  const answer = answerFromSteps(task.choices, result.chosen);
  const card = answer ? cardsById.get(answer.cardId) : undefined;
  const outcome = answer && card ? renderAnswer(card, answer).kind : "no card";
  return { ms: performance.now() - start, result, outcome };
}

/** Time per decision after the first (which carries the prompt evaluation). */
function perDecision(r: ChoiceResult): number {
  return r.decisions > 1 ? (r.durationMs - (r.firstTokenMs ?? 0)) / (r.decisions - 1) : 0;
}

async function measureModel(f: Findings, ctx: BenchContext, model: Model, system: string, plan: Plan, cardsById: ReadonlyMap<string, Card>): Promise<void> {
  const request = (i: number, maxTokens: number): LlmRequest => ({
    ...(plan.requests[i % plan.requests.length] as PlanPrompt),
    schema: LLM_PLAN_JSON_SCHEMA,
    maxTokens,
    temperature: LLM_DEFAULTS.temperature,
  });
  const task = (i: number) => plan.cardTasks[i % plan.cardTasks.length] as CardTask;
  const load = (reusePrefix: boolean) =>
    LlamaCppProvider.load({ modelPath: model.path, threads: THREADS, reusePrefix, ...(model.contextSize ? { contextSize: model.contextSize } : {}) });

  ctx.log(`  ${model.label}, prefix cache on`);
  const loadStart = performance.now();
  const provider = await load(true);
  const loadMs = performance.now() - loadStart;
  const prepareStart = performance.now();
  const cards: CardRun[] = [];
  const typical: LlmResult[] = [];
  let prepareMs: number;
  const loadAtStart = loadavg()[0] ?? 0;
  try {
    await provider.prepare(system);
    prepareMs = performance.now() - prepareStart;
    // Touches every weight once and compiles the old path's grammar; goals other than the measured ones.
    await cardRun(provider, system, task(plan.cardTasks.length - 1), cardsById);
    await provider.generate(request(plan.requests.length - 1, 2));
    for (let i = 0; i < plan.runs.card; i++) cards.push(await cardRun(provider, system, task(i), cardsById));
    for (let i = 0; i < plan.runs.typical; i++) typical.push(await provider.generate(request(i, plan.typicalTokens)));
  } finally {
    await provider.close();
  }

  const off: CardRun[] = [];
  if (plan.runs.cacheOff > 0) {
    ctx.log(`  ${model.label}, prefix cache off`);
    const uncached = await load(false);
    try {
      for (let i = 0; i < plan.runs.cacheOff; i++) off.push(await cardRun(uncached, system, task(i), cardsById));
    } finally {
      await uncached.close();
    }
  }
  const loadAtEnd = loadavg()[0] ?? 0;

  const p50 = (values: number[]) => summarize(values).p50;
  const on = `${model.label}, prefix cache on`;
  const card = f.measure(`${on}: card plan (choose card + parameters, rendered)`, cards.map((r) => r.ms));
  f.row({ label: `${on}: card plan p50 (choose a card, fill its parameters, render)`, value: card.p50, unit: "ms", target: { op: "<=", value: 1_500 } });
  f.row({ label: `${on}: card plan, time to first decision p50 (prompt evaluation + one step)`, value: p50(cards.map((r) => r.result.firstTokenMs ?? r.ms)), unit: "ms" });
  f.row({ label: `${on}: card plan, model decisions p50`, value: p50(cards.map((r) => r.result.decisions)), unit: "decisions" });
  f.row({ label: `${on}: card plan, time per decision after the first p50`, value: p50(cards.filter((r) => r.result.decisions > 1).map((r) => perDecision(r.result))), unit: "ms" });
  f.row({ label: `${on}: card plan, answer tokens p50 (chosen or forced)`, value: p50(cards.map((r) => r.result.completionTokens)), unit: "tokens" });
  f.row({ label: `${on}: card plan, prompt tokens p50`, value: p50(cards.map((r) => r.result.promptTokens)), unit: "tokens" });
  f.row({ label: `${on}: card plan, of which reused from the prefix cache p50`, value: p50(cards.map((r) => r.result.cachedPrefixTokens ?? 0)), unit: "tokens" });
  f.row({ label: `${on}: card answers rendered (plan or needs_lookup)`, value: cards.filter((r) => r.outcome === "plan" || r.outcome === "needs_lookup").length, unit: `of ${cards.length}` });
  const planOn = f.measure(`${on}: free command (old path), ${plan.typicalTokens}-token output`, typical.map((r) => r.durationMs));
  f.row({ label: `${on}: free command (old path, baseline) p50, ${plan.typicalTokens}-token output`, value: planOn.p50, unit: "ms" });
  f.row({ label: `${on}: free command, time to first token p50`, value: p50(typical.map((r) => r.firstTokenMs ?? r.durationMs)), unit: "ms" });
  f.row({ label: `${on}: free command, decode rate p50 (grammar + sampling)`, value: p50(typical.map(decodeRate)), unit: "tok/s" });
  f.row({ label: `${on}: model + context load`, value: loadMs, unit: "ms" });
  f.row({ label: `${on}: fixed prefix evaluated at load (prepare)`, value: prepareMs, unit: "ms" });
  if (off.length > 0) {
    const offLabel = `${model.label}, prefix cache off`;
    f.measure(`${offLabel}: card plan`, off.map((r) => r.ms));
    f.row({ label: `${offLabel}: card plan p50 (the whole prompt evaluated)`, value: p50(off.map((r) => r.ms)), unit: "ms" });
  }
  f.note(`${model.label}: 1-minute load average ${loadAtStart.toFixed(2)} when its runs began, ${loadAtEnd.toFixed(2)} when they ended (2 cores shared).`);
}

/** Figure 5: one planning call to a local 0.5B-class GGUF on 2 threads, with the prompt prefix cache on and off. */
export const llmSection: Section = {
  id: "llm",
  title: "LLM plan, local GGUF on 2 threads",
  async run(ctx) {
    const f = new Findings();
    const models = benchModels(ctx.quick);
    ensureModels(models, ctx, f);
    const missing = models.filter((m) => !existsSync(m.path));
    if (missing.length === models.length) {
      return f.result(`no model files (${missing.map((m) => m.path).join(", ")}); build them with \`bash scripts/make-models.sh${ctx.quick ? "" : " --bench"}\``);
    }
    for (const m of missing) f.note(`${m.label} skipped: ${m.path} is missing.`);

    const ws = openWorkspace("llm");
    const cards = await loadCardSet(ws.config());
    ws.close();
    const retriever = await createRetriever({ cards, mode: "lexical" });
    // The prompts the model planner sends: rules + policy + (when it fits) the whole card catalog as the fixed
    // prefix, then the retrieved card ids and the goal.
    // Quick runs give the tiny model (a token per character) an 8-card catalog: the same code path, a short prefix.
    const catalog = ctx.quick ? cards.cards.slice(0, QUICK_CATALOG_CARDS) : cards.cards;
    const prompter = createPlanPrompter({ policySummary: summarizePolicy(loadPolicy()), cards: catalog });
    const lengths = summarize(examplePlanTokens(cards.cards));
    const inventory = benchInventory();
    const cardTask = (goal: string): CardTask => {
      const hits = retriever.searchLexical(goal, { k: 4 });
      const partial = parserPartial(goal, { kind: "needs_input", message: "", missing: [], candidates: [] });
      return { goal, prompt: prompter.buildCardTask(goal, hits, { partial, inventory }), choices: cardChoices(cards.cards, { goal, partial, inventory }, hits.map((h) => h.card.id)) };
    };
    const plan: Plan = {
      typicalTokens: Math.round(lengths.p50),
      requests: FREE_TEXT_GOALS.map((goal) => prompter.build({ goal }, retriever.searchLexical(goal, { k: 4 }))),
      cardTasks: FREE_TEXT_GOALS.map(cardTask),
      runs: ctx.quick ? { card: 5, typical: 2, cacheOff: 0 } : { card: 10, typical: 3, cacheOff: 1 },
    };
    const cardsById = new Map(cards.cards.map((card) => [card.id, card]));

    for (const model of models.filter((m) => existsSync(m.path))) await measureModel(f, ctx, model, prompter.system, plan, cardsById);

    f.note(
      `Card path (the model planner's first try): the model chooses a card id and then, for that card only, each parameter's value among candidates ` +
        `the card's validators accept (names in the bench cluster's inventory, words of the goal, the card's enums); the answer is rendered through ` +
        `the card template. LlamaCppProvider.choose writes the fixed parts of the answer without asking the model and, where the remaining ` +
        `options differ, reads the logits of only those few tokens (controlledEvaluate) and takes the highest: no grammar, no sampling over the ` +
        `151,936-token vocabulary, one model step per real decision. The prompt: the fixed prefix (rules, policy, all ${catalog.length} cards with an ` +
        `example answer each), then the cluster's names, the closest card ids, the parser's partial reading and the goal. Goals rotate through ${FREE_TEXT_GOALS.length}.`,
    );
    f.note(
      `Free command (the old path, now the last resort; kept as the baseline): the plan JSON schema as a grammar, temperature ${LLM_DEFAULTS.temperature}. ` +
        `Random weights never close a string early, so it asks for ${plan.typicalTokens} tokens, the median length of the plan JSON for the cards' ` +
        `${lengths.n} examples (p95 ${formatNumber(lengths.p95)}, max ${formatNumber(lengths.max)}). node-llama-cpp samples first and checks only the ` +
        "chosen token against the grammar; a random model's choice is almost always rejected, so every token also pays a grammar pass over the vocabulary.",
    );
    f.note(
      "Random weights choose at random, so which card (and so how many decisions) a goal gets is arbitrary; a trained model's choices differ but " +
        "cost the same per decision. Prefix cache on: `prepare` evaluates the fixed prefix once after loading (reported as a load cost); off: the " +
        `context is cleared before each request. Runs: ${plan.runs.card} card plans and ${plan.runs.typical} free commands with the cache on, ${plan.runs.cacheOff} card plan(s) with it off. ` +
        "Where the time goes, step by step: `node --import tsx bench/llm-breakdown.ts [model.gguf]`.",
    );
    if (ctx.quick) f.note("Quick run: the tiny test GGUF (2 layers, ~1 token per character) shows the code path, not 0.5B timing.");
    else f.note("Models: `scripts/make-tiny-gguf.py --bench`: Qwen2.5-0.5B's architecture and sizes (qwen2, 24 layers, 151,936-token tied embedding) with random weights and cl100k_base's BPE vocabulary.");
    return f.result();
  },
};
