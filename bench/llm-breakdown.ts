/**
 * Where the time of one free-command LLM plan goes (issue 13 item 8), on a local GGUF with 2 threads:
 * prompt evaluation of the per-request part (fixed prefix cached), one decode step of the model alone,
 * sampling (temperature 0.2 vs greedy), the JSON-schema grammar, and JSON parse + zod validation.
 *
 *   node --import tsx bench/llm-breakdown.ts [.cache/models/bench-qwen2-0.5b-q8_0.gguf] [--tokens 48] [--runs 3] [--threads 2]
 *
 * Every figure is a median over `--runs` goals; `uptime`'s load is printed with them (2 shared cores).
 */
import { loadavg } from "node:os";
import { getLlama, LlamaCompletion, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import type { GbnfJsonObjectSchema, Token } from "node-llama-cpp";
import { loadCardSet } from "../src/app/catalog.js";
import { createPlanPrompter, LLM_PLAN_JSON_SCHEMA, LlmPlanSchema } from "../src/planner/llm/index.js";
import { loadPolicy, summarizePolicy } from "../src/policy/index.js";
import { createRetriever } from "../src/retrieval/index.js";
import { FREE_TEXT_GOALS } from "./requests.js";
import { openWorkspace, repoPath } from "./workspace.js";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const modelPath = args.find((a) => a.endsWith(".gguf")) ?? repoPath(".cache", "models", "bench-qwen2-0.5b-q8_0.gguf");
const TOKENS = flag("--tokens", 48);
const RUNS = flag("--runs", 3);
const THREADS = flag("--threads", 2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

const ws = openWorkspace("llm-breakdown");
const cards = await loadCardSet(ws.config());
ws.close();
const retriever = await createRetriever({ cards, mode: "lexical" });
const prompter = createPlanPrompter({ policySummary: summarizePolicy(loadPolicy()), cards: cards.cards });
const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
const model = await llama.loadModel({ modelPath });
const context = await model.createContext({ contextSize: Math.min(8192, model.trainContextSize), threads: THREADS, sequences: 1 });
const sequence = context.getSequence();
const completion = new LlamaCompletion({ contextSequence: sequence });
const wrapper = resolveChatWrapper(model);
const render = (user: string): Token[] =>
  wrapper
    .generateContextState({ chatHistory: [{ type: "system", text: prompter.system }, { type: "user", text: user }, { type: "model", response: [] }] })
    .contextText.tokenize(model.tokenizer);

// The fixed prefix, evaluated once as `prepare` does.
const a = render("a");
const b = render("b");
let shared = 0;
while (shared < a.length && a[shared] === b[shared]) shared++;
let t = performance.now();
await sequence.evaluateWithoutGeneratingNewTokens(a.slice(0, shared));
console.log(`model ${modelPath}\nfixed prefix: ${shared} tokens evaluated in ${fmt(performance.now() - t)}`);

const resetToPrefix = async () => {
  if (sequence.nextTokenIndex > shared) await sequence.eraseContextTokenRanges([{ start: shared, end: sequence.nextTokenIndex }]);
};
const users = FREE_TEXT_GOALS.slice(0, RUNS).map((goal) => prompter.build({ goal }, retriever.searchLexical(goal, { k: 4 })).prompt);
const grammar = await llama.createGrammarForJsonSchema(LLM_PLAN_JSON_SCHEMA as GbnfJsonObjectSchema);

const rows: Record<string, number[]> = {};
const ownTokens: number[] = [];
const add = (key: string, value: number) => (rows[key] ??= []).push(value);
for (const user of users) {
  const tokens = render(user);
  const own = tokens.slice(shared);
  // 1. Prompt evaluation of the per-request tokens (all but the last), prefix cached.
  await resetToPrefix();
  t = performance.now();
  await sequence.evaluateWithoutGeneratingNewTokens(own.slice(0, -1));
  add("prompt eval of the request's own tokens (prefix cached)", performance.now() - t);
  ownTokens.push(own.length - 1);
  // 2. Decode steps of the model alone: each step evaluates one token and reads 8 logits (no sampling, no grammar).
  const probe = own.slice(-1) as Token[];
  t = performance.now();
  let next = probe[0] as Token;
  const filter = { tokens: Array.from({ length: 8 }, (_, i) => (i + 100) as Token) };
  for (let i = 0; i < 16; i++) {
    const [out] = await sequence.controlledEvaluate([[next, { generateNext: { logits: { filter } } }]]);
    next = ([...(out?.next.logits?.keys() ?? [])][0] ?? next) as Token;
  }
  add("decode step, model only (logits of 8 tokens)", (performance.now() - t) / 16);
  // 3. Decode with sampling over the whole vocabulary, no grammar: greedy, then temperature 0.2 (LLM_DEFAULTS).
  for (const temperature of [0, 0.2]) {
    await resetToPrefix();
    await sequence.evaluateWithoutGeneratingNewTokens(own.slice(0, -1));
    t = performance.now();
    let n = 0;
    await completion.generateCompletion(own.slice(-1), { maxTokens: TOKENS, temperature, onToken: (tk) => (n += tk.length), disableContextShift: true, contextShiftSize: 0 });
    add(`decode step + sampling, no grammar, temperature ${temperature}`, (performance.now() - t) / Math.max(1, n));
  }
  // 4. The same with the plan JSON-schema grammar (today's path).
  for (const temperature of [0, 0.2]) {
    await resetToPrefix();
    await sequence.evaluateWithoutGeneratingNewTokens(own.slice(0, -1));
    t = performance.now();
    let n = 0;
    const text = await completion.generateCompletion(own.slice(-1), { grammar, maxTokens: TOKENS, temperature, onToken: (tk) => (n += tk.length), disableContextShift: true, contextShiftSize: 0 });
    const perToken = (performance.now() - t) / Math.max(1, n);
    add(`decode step + sampling + plan grammar, temperature ${temperature}`, perToken);
    // 5. JSON parse + zod validation of what came out (or of a valid plan when the output was cut).
    const sample = text.trim().endsWith("}") ? text : JSON.stringify({ intent: "restart", namespace: "prod", target: "deployment/web", selector: "", command: "kubectl rollout restart deployment/web -n prod", summary: "restart" });
    t = performance.now();
    for (let i = 0; i < 1000; i++) {
      try {
        LlmPlanSchema.safeParse(JSON.parse(sample));
      } catch {
        // a cut output is not JSON; parsing it is still the cost being measured
      }
    }
    add(`JSON parse + zod validation of one plan (temperature ${temperature})`, (performance.now() - t) / 1000);
  }
}
console.log(`threads ${THREADS}; load average ${loadavg().map((l) => l.toFixed(2)).join(" ")}; medians over ${users.length} goals; ${TOKENS} output tokens; the requests' own tokens: ${ownTokens.join(", ")}`);
for (const [key, values] of Object.entries(rows)) console.log(`  ${key}: ${fmt(median(values))}`);
await context.dispose();
await model.dispose();
