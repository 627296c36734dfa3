import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { loadCardSet } from "../../src/core/catalog.js";
import { buildPlanPrompt, LLM_DEFAULTS, LLM_PLAN_JSON_SCHEMA, LlamaCppProvider, LlmPlanSchema } from "../../src/planner/llm/index.js";
import type { LlmRequest, LlmResult } from "../../src/planner/llm/index.js";
import { loadPolicy, summarizePolicy } from "../../src/policy/index.js";
import { createRetriever, renderContext } from "../../src/retrieval/index.js";
import { formatNumber } from "../report.js";
import { FREE_TEXT_GOALS } from "../requests.js";
import { Findings } from "../section.js";
import type { BenchContext, Section } from "../section.js";
import { summarize } from "../stats.js";
import { openWorkspace, repoPath } from "../workspace.js";

const THREADS = 2;
/** Tokens a real model's plan JSON takes for a typical request (one command, short summary); for the projection. */
const TYPICAL_PLAN_TOKENS = 70;

interface Model {
  readonly label: string;
  readonly path: string;
  /** The tiny model's ~420-piece vocabulary spends about a token per character: the prompt needs more room. */
  readonly contextSize?: number;
}

function benchModels(quick: boolean): Model[] {
  return quick
    ? [{ label: "tiny llama Q8_0 (random weights)", path: repoPath(".cache", "models", "tiny-llama-q8_0.gguf"), contextSize: 8_192 }]
    : [
        { label: "0.5B-shape Q8_0 (random weights)", path: repoPath(".cache", "models", "bench-0.5b-q8_0.gguf") },
        { label: "0.5B-shape Q4_0 (random weights)", path: repoPath(".cache", "models", "bench-0.5b-q4_0.gguf") },
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

interface Runs {
  readonly full: LlmResult[];
  readonly prefill: LlmResult[];
  readonly validPlans: number;
}

function isValidPlan(text: string): boolean {
  try {
    return LlmPlanSchema.safeParse(JSON.parse(text)).success;
  } catch {
    return false;
  }
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
    const policySummary = summarizePolicy(loadPolicy());
    // The same prompt the model planner builds: fixed rules + policy (system), then cards + goal (user).
    const requests: LlmRequest[] = FREE_TEXT_GOALS.map((goal) => {
      const context = renderContext(retriever.searchLexical(goal, { k: 4 }), { tokenBudget: 1_200 });
      const prompt = buildPlanPrompt({ policySummary, context: context.text, task: { goal } });
      return { ...prompt, schema: LLM_PLAN_JSON_SCHEMA, maxTokens: LLM_DEFAULTS.maxTokens, temperature: LLM_DEFAULTS.temperature };
    });
    const runs = ctx.quick ? 3 : 4;

    for (const model of models.filter((m) => existsSync(m.path))) {
      for (const reusePrefix of [true, false]) {
        const mode = `${model.label}, prefix cache ${reusePrefix ? "on" : "off"}`;
        ctx.log(`  ${mode}`);
        const loadStart = performance.now();
        const provider = await LlamaCppProvider.load({
          modelPath: model.path,
          threads: THREADS,
          reusePrefix,
          ...(model.contextSize ? { contextSize: model.contextSize } : {}),
        });
        const loadMs = performance.now() - loadStart;
        let result: Runs;
        try {
          await provider.generate({ ...(requests[requests.length - 1] as LlmRequest), maxTokens: 8 });
          const full: LlmResult[] = [];
          const prefill: LlmResult[] = [];
          let validPlans = 0;
          for (let i = 0; i < runs; i++) {
            const request = requests[i % requests.length] as LlmRequest;
            const generated = await provider.generate(request);
            full.push(generated);
            if (isValidPlan(generated.text)) validPlans++;
            // One output token: the prompt's evaluation alone (a different goal, so the user part is not cached either).
            prefill.push(await provider.generate({ ...(requests[(i + runs) % requests.length] as LlmRequest), maxTokens: 1 }));
          }
          result = { full, prefill, validPlans };
        } finally {
          await provider.close();
        }
        report(f, mode, reusePrefix, result, loadMs);
      }
    }
    f.note(
      `Each figure is one provider.generate call with the request planWithLlm sends (system rules + policy, the top-4 cards for ` +
        `the goal within 1,200 tokens, the plan JSON schema as a grammar, maxTokens ${LLM_DEFAULTS.maxTokens}), goals rotating ` +
        `through ${FREE_TEXT_GOALS.length}. Random weights never stop early: they fill every string up to the token limit, so ` +
        "planWithLlm's correction retry would double the time; it is left out because a real model only retries on invalid output.",
    );
    f.note(
      `"projected" = median prompt evaluation + ${TYPICAL_PLAN_TOKENS} tokens (a typical plan JSON) at the measured decode rate: ` +
        "an estimate for a real instruct model of this shape, not a measurement.",
    );
    if (ctx.quick) f.note("Quick run: the tiny test GGUF (2 layers, ~1 token per character) shows the code path, not 0.5B timing.");
    f.note("Prefix cache on: the fixed system prompt stays evaluated in the context between requests; off: the context is cleared before each.");
    return f.result();
  },
};

function report(f: Findings, mode: string, cacheOn: boolean, runs: Runs, loadMs: number): void {
  const total = f.measure(`${mode}: generate, ${LLM_DEFAULTS.maxTokens} tokens max`, runs.full.map((r) => r.durationMs));
  const prefill = f.measure(`${mode}: prompt evaluation (maxTokens 1)`, runs.prefill.map((r) => r.durationMs));
  const promptTokens = summarize(runs.full.map((r) => r.promptTokens)).p50;
  const cached = summarize(runs.full.map((r) => r.cachedPrefixTokens ?? 0)).p50;
  const completion = summarize(runs.full.map((r) => r.completionTokens)).p50;
  const decodeMsPerToken = (total.p50 - prefill.p50) / Math.max(1, completion - 1);
  f.row({ label: `${mode}: generate p50`, value: total.p50, unit: "ms", ...(cacheOn ? { target: { op: "<=" as const, value: 1_500 } } : {}) });
  f.row({ label: `${mode}: prompt evaluation p50`, value: prefill.p50, unit: "ms" });
  f.row({ label: `${mode}: prompt tokens`, value: promptTokens, unit: "tokens" });
  f.row({ label: `${mode}: of which reused from the prefix cache`, value: cached, unit: "tokens" });
  f.row({ label: `${mode}: generated tokens`, value: completion, unit: "tokens" });
  f.row({ label: `${mode}: decode rate`, value: 1_000 / decodeMsPerToken, unit: "tok/s" });
  f.row({ label: `${mode}: projected plan (${TYPICAL_PLAN_TOKENS} tokens)`, value: prefill.p50 + TYPICAL_PLAN_TOKENS * decodeMsPerToken, unit: "ms" });
  f.row({ label: `${mode}: valid plans`, value: runs.validPlans, unit: `of ${runs.full.length}` });
  f.row({ label: `${mode}: model + context load`, value: loadMs, unit: "ms" });
}
