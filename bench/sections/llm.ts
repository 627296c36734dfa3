import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";
import type { Card } from "../../src/cards/index.js";
import { loadCardSet } from "../../src/app/catalog.js";
import { createPlanPrompter, LLM_DEFAULTS, LLM_PLAN_JSON_SCHEMA, LlmPlanSchema } from "../../src/planner/llm/index.js";
import { LlamaCppProvider } from "../../src/planner/llm/native.js";
import type { LlmRequest, LlmResult, PlanPrompt } from "../../src/planner/llm/index.js";
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

function isValidPlan(text: string): boolean {
  try {
    return LlmPlanSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
}

/** Output tokens per second after the first token (which carries the prompt evaluation). */
function decodeRate(r: LlmResult): number {
  const decodeMs = r.durationMs - (r.firstTokenMs ?? 0);
  return r.completionTokens > 1 && decodeMs > 0 ? ((r.completionTokens - 1) * 1_000) / decodeMs : 0;
}

interface Plan {
  readonly typicalTokens: number;
  readonly requests: readonly PlanPrompt[];
  readonly runs: { readonly typical: number; readonly full: number; readonly cacheOff: number };
}

async function measureModel(f: Findings, ctx: BenchContext, model: Model, system: string, plan: Plan): Promise<void> {
  const request = (i: number, maxTokens: number): LlmRequest => ({
    ...(plan.requests[i % plan.requests.length] as PlanPrompt),
    schema: LLM_PLAN_JSON_SCHEMA,
    maxTokens,
    temperature: LLM_DEFAULTS.temperature,
  });
  const load = (reusePrefix: boolean) =>
    LlamaCppProvider.load({ modelPath: model.path, threads: THREADS, reusePrefix, ...(model.contextSize ? { contextSize: model.contextSize } : {}) });

  ctx.log(`  ${model.label}, prefix cache on`);
  const loadStart = performance.now();
  const provider = await load(true);
  const loadMs = performance.now() - loadStart;
  const prepareStart = performance.now();
  const typical: LlmResult[] = [];
  const full: LlmResult[] = [];
  let prepareMs: number;
  try {
    await provider.prepare(system);
    prepareMs = performance.now() - prepareStart;
    // Compiles the grammar and touches every weight once; a different goal from the measured ones.
    await provider.generate(request(plan.requests.length - 1, 2));
    for (let i = 0; i < plan.runs.typical; i++) typical.push(await provider.generate(request(i, plan.typicalTokens)));
    for (let i = 0; i < plan.runs.full; i++) full.push(await provider.generate(request(plan.runs.typical + i, LLM_DEFAULTS.maxTokens)));
  } finally {
    await provider.close();
  }

  ctx.log(`  ${model.label}, prefix cache off`);
  const off: LlmResult[] = [];
  const uncached = await load(false);
  try {
    for (let i = 0; i < plan.runs.cacheOff; i++) off.push(await uncached.generate(request(i, plan.typicalTokens)));
  } finally {
    await uncached.close();
  }

  const on = `${model.label}, prefix cache on`;
  const planOn = f.measure(`${on}: plan, ${plan.typicalTokens}-token output`, typical.map((r) => r.durationMs));
  const ttft = f.measure(`${on}: time to first token`, typical.map((r) => r.firstTokenMs ?? r.durationMs));
  const fullOn = f.measure(`${on}: generate, maxTokens ${LLM_DEFAULTS.maxTokens}`, full.map((r) => r.durationMs));
  const p50 = (values: number[]) => summarize(values).p50;
  f.row({ label: `${on}: plan p50 (${plan.typicalTokens}-token output, a typical plan)`, value: planOn.p50, unit: "ms", target: { op: "<=", value: 1_500 } });
  f.row({ label: `${on}: time to first token p50`, value: ttft.p50, unit: "ms" });
  f.row({ label: `${on}: prompt tokens`, value: p50(typical.map((r) => r.promptTokens)), unit: "tokens" });
  f.row({ label: `${on}: of which reused from the prefix cache`, value: p50(typical.map((r) => r.cachedPrefixTokens ?? 0)), unit: "tokens" });
  f.row({ label: `${on}: decode rate p50`, value: p50(typical.map(decodeRate)), unit: "tok/s" });
  f.row({ label: `${on}: generate p50, maxTokens ${LLM_DEFAULTS.maxTokens}`, value: fullOn.p50, unit: "ms" });
  f.row({ label: `${on}: generated tokens at maxTokens ${LLM_DEFAULTS.maxTokens}`, value: p50(full.map((r) => r.completionTokens)), unit: "tokens" });
  f.row({ label: `${on}: valid plans at maxTokens ${LLM_DEFAULTS.maxTokens}`, value: full.filter((r) => isValidPlan(r.text)).length, unit: `of ${full.length}` });
  f.row({ label: `${on}: model + context load`, value: loadMs, unit: "ms" });
  f.row({ label: `${on}: fixed prefix evaluated at load (prepare)`, value: prepareMs, unit: "ms" });

  const offLabel = `${model.label}, prefix cache off`;
  const planOff = f.measure(`${offLabel}: plan, ${plan.typicalTokens}-token output`, off.map((r) => r.durationMs));
  f.row({ label: `${offLabel}: plan p50 (${plan.typicalTokens}-token output)`, value: planOff.p50, unit: "ms" });
  f.row({ label: `${offLabel}: time to first token p50`, value: p50(off.map((r) => r.firstTokenMs ?? r.durationMs)), unit: "ms" });
  f.row({ label: `${offLabel}: prompt tokens`, value: p50(off.map((r) => r.promptTokens)), unit: "tokens" });
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
    const plan: Plan = {
      typicalTokens: Math.round(lengths.p50),
      requests: FREE_TEXT_GOALS.map((goal) => prompter.build({ goal }, retriever.searchLexical(goal, { k: 4 }))),
      runs: ctx.quick ? { typical: 3, full: 1, cacheOff: 1 } : { typical: 4, full: 1, cacheOff: 1 },
    };

    for (const model of models.filter((m) => existsSync(m.path))) await measureModel(f, ctx, model, prompter.system, plan);

    f.note(
      `Prompt: ${prompter.catalogInPrefix ? "the fixed prefix holds the rules, the policy and all " + catalog.length + " cards (id, intent, template, one example); each request adds the top-4 retrieved card ids and the goal" : "the catalog is over its token budget, so each request carries the top-4 retrieved cards"}. ` +
        `Output: the plan JSON schema as a grammar. Goals rotate through ${FREE_TEXT_GOALS.length}.`,
    );
    f.note(
      `Random weights never close a string early: under the grammar they write until maxTokens. So the plan figure asks for ` +
        `${plan.typicalTokens} tokens, the median length of the plan JSON for the cards' ${lengths.n} examples in this vocabulary ` +
        `(p95 ${formatNumber(lengths.p95)}, max ${formatNumber(lengths.max)}), and is measured, not projected; the maxTokens ` +
        `${LLM_DEFAULTS.maxTokens} rows show the cost of a model that runs to the limit.`,
    );
    f.note(
      "Decode rates with random weights are pessimistic: node-llama-cpp samples first and checks only the chosen token " +
        "against the grammar, but a random model's choice is almost always rejected, so every token pays a grammar pass " +
        "over the whole vocabulary that a real model mostly skips.",
    );
    f.note(
      "Prefix cache on: `prepare` evaluates the fixed prefix once after loading (reported as a load cost), and every request " +
        "reuses it; off: the context is cleared before each request, which then evaluates the whole prompt. " +
        `Runs: ${plan.runs.typical} typical-length and ${plan.runs.full} maxTokens plans with the cache on, ${plan.runs.cacheOff} with it off (n per series below).`,
    );
    if (ctx.quick) f.note("Quick run: the tiny test GGUF (2 layers, ~1 token per character) shows the code path, not 0.5B timing.");
    else f.note("Models: `scripts/make-tiny-gguf.py --bench`: Qwen2.5-0.5B's architecture and sizes (qwen2, 24 layers, 151,936-token tied embedding) with random weights and cl100k_base's BPE vocabulary.");
    return f.result();
  },
};
