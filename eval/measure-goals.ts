/**
 * Scores the model-free goal parser on the goal sets, per set: right, needs_input, unsupported, needs_lookup, wrong.
 *
 *   node --import tsx eval/measure-goals.ts            # tuning, held-out and homelab (homelab starts a sandbox)
 *   node --import tsx eval/measure-goals.ts --verbose  # also every goal that was not right
 *
 * - tuning:   eval/goals.jsonl, text only (no cluster)
 * - held-out: eval/goals.heldout.jsonl, text only; written before the parser was tuned and never edited since
 * - voices:   eval/goals.voices.heldout.jsonl, text only; a second held-out set in voices the others lack (Slack,
 *             on-call pages, non-native English, terse, rambling, kubectl-ish, real app names, out-of-catalog asks),
 *             written before the parser changes it measured and never edited since
 * - homelab:  eval/homelab.jsonl against an inventory read through kubectl from a sandbox seeded with
 *             eval/homelab.fixture.yaml (the same read path the pipeline supplies)
 *
 * "right" is the expected command, or a question back (needs_input / unsupported) where the set expects one.
 * "wrong" is a command where another one, or none, was expected. needs_lookup means the card needs a value the
 * pipeline looks up in the cluster before rendering (a workload's newest pod); it is neither right nor wrong here.
 * Exits 1 when a set has a wrong command or the held-out set is below 90 % right. Nothing runs against a cluster
 * but read-only `kubectl get`, and nothing is written to any audit log.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { bundledCardsDir, loadCardsSync } from "../src/cards/index.js";
import { readEvalSet } from "../src/eval/index.js";
import type { EvalCase } from "../src/eval/index.js";
import { createInventory } from "../src/kube/index.js";
import type { InventorySnapshot, KubectlRead } from "../src/kube/index.js";
import { parseGoal, retrievalText } from "../src/planner/goal/index.js";
import type { GoalParse } from "../src/planner/goal/index.js";
import { LookupRequired } from "../src/planner/template.js";
import { createRetriever } from "../src/retrieval/index.js";

type Verdict = "right" | "needs_input" | "unsupported" | "needs_lookup" | "wrong";

const verbose = process.argv.includes("--verbose");
const cards = loadCardsSync([bundledCardsDir()]);
const retriever = await createRetriever({ cards });
const binaries: ReadonlySet<string> = new Set(["kubectl"]);

function parse(goal: string, inventory: InventorySnapshot | undefined): GoalParse | "needs_lookup" {
  const hits = retriever.searchLexical(retrievalText(goal), { k: 6 });
  try {
    return parseGoal(goal, hits, binaries, { inventory });
  } catch (error) {
    if (error instanceof LookupRequired) return "needs_lookup";
    throw error;
  }
}

function verdict(c: EvalCase, result: GoalParse | "needs_lookup"): { verdict: Verdict; got: string } {
  const { command, commandRegex } = c.expect;
  const expectsCommand = command !== undefined || commandRegex !== undefined;
  // Without a cluster the pipeline answers a needed lookup with needs_input, which is what such rows expect.
  if (result === "needs_lookup") return { verdict: expectsCommand ? "needs_lookup" : "right", got: "needs_lookup" };
  if (result.kind === "needs_input") {
    const kind: Verdict = result.unsupported ? "unsupported" : "needs_input";
    return { verdict: expectsCommand ? kind : "right", got: `${kind}: ${result.reason}` };
  }
  const got = result.plan.command;
  const matches = command !== undefined ? got === command : commandRegex !== undefined && new RegExp(commandRegex).test(got);
  return { verdict: matches ? "right" : "wrong", got };
}

interface SetScore {
  readonly name: string;
  readonly counts: Record<Verdict, number>;
  readonly total: number;
  /** How the rows that expect a question were answered. */
  readonly questions: { needs_input: number; unsupported: number; lookup: number };
}

function score(name: string, cases: readonly EvalCase[], inventory?: InventorySnapshot): SetScore {
  const counts: Record<Verdict, number> = { right: 0, needs_input: 0, unsupported: 0, needs_lookup: 0, wrong: 0 };
  const questions = { needs_input: 0, unsupported: 0, lookup: 0 };
  for (const c of cases) {
    const result = parse(c.goal ?? "", inventory);
    const { verdict: v, got } = verdict(c, result);
    counts[v]++;
    if (c.expect.command === undefined && c.expect.commandRegex === undefined && v === "right") {
      if (result === "needs_lookup") questions.lookup++;
      else if (result.kind === "needs_input" && result.unsupported) questions.unsupported++;
      else questions.needs_input++;
    }
    if (v === "wrong" || (verbose && v !== "right")) {
      console.log(`  ${v.padEnd(12)} ${c.id}: ${JSON.stringify(c.goal)}\n${" ".repeat(15)}expected ${c.expect.command ?? c.expect.commandRegex ?? c.expect.status}\n${" ".repeat(15)}got      ${got}`);
    }
  }
  return { name, counts, total: cases.length, questions };
}

const kubectlRead =
  (kubeconfig: string, env: NodeJS.ProcessEnv): KubectlRead =>
  (argv) =>
    new Promise((resolve) => {
      execFile("kubectl", [...argv, "--kubeconfig", kubeconfig], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout });
      });
    });

async function homelabInventory(): Promise<InventorySnapshot> {
  const { startSandbox } = await import("../src/sandbox/index.js");
  const sandbox = await startSandbox({ fixture: "eval/homelab.fixture.yaml" });
  const scratch = await mkdtemp(join(tmpdir(), "rag-k8s-goals-"));
  try {
    const kubeconfig = join(scratch, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    const inventory = createInventory(kubectlRead(kubeconfig, { ...process.env, KUBECACHEDIR: join(scratch, "cache") }), { ttlMs: 60_000 });
    const snapshot = await inventory.snapshot();
    if (!snapshot.ok) throw new Error(`homelab inventory: ${snapshot.reason}`);
    return snapshot;
  } finally {
    await sandbox.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * p50 of lexical retrieval plus parsing, as the goal planner runs them. Retrieval memoizes rankings per query
 * text, so the first round (each goal new to the process, code already warm from scoring) is reported apart.
 */
async function p50Millis(cases: readonly EvalCase[]): Promise<{ first: number; repeated: number }> {
  const fresh = await createRetriever({ cards });
  const goals = cases.map((c) => c.goal ?? "");
  const samples: number[] = [];
  const firsts: number[] = [];
  for (let round = 0; round < 6; round++) {
    for (const goal of goals) {
      const start = performance.now();
      try {
        parseGoal(goal, fresh.searchLexical(retrievalText(goal), { k: 6 }), binaries);
      } catch (error) {
        if (!(error instanceof LookupRequired)) throw error;
      }
      (round > 0 ? samples : firsts).push(performance.now() - start);
    }
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  return { first: median(firsts), repeated: median(samples) };
}

const tuning = await readEvalSet("eval/goals.jsonl");
const heldout = await readEvalSet("eval/goals.heldout.jsonl");
const voices = await readEvalSet("eval/goals.voices.heldout.jsonl");
const homelab = await readEvalSet("eval/homelab.jsonl");
const scores = [score("tuning", tuning), score("held-out", heldout), score("voices (held-out)", voices), score("homelab", homelab, await homelabInventory())];

const pct = (n: number, d: number) => `${((100 * n) / d).toFixed(1)}%`;
console.log("\n| set | goals | right | needs_input | unsupported | needs_lookup | wrong |\n|---|---|---|---|---|---|---|");
for (const s of scores) {
  const c = s.counts;
  console.log(`| ${s.name} | ${s.total} | ${c.right} (${pct(c.right, s.total)}) | ${c.needs_input} | ${c.unsupported} | ${c.needs_lookup} | ${c.wrong} |`);
}
console.log("\nneeds_input / unsupported / needs_lookup above count goals that expected a command. Goals that expected a question were answered:");
for (const s of scores) console.log(`- ${s.name}: ${s.questions.needs_input} needs_input, ${s.questions.unsupported} unsupported, ${s.questions.lookup} needs_lookup`);
const timing = await p50Millis([...tuning, ...heldout]);
console.log(`\ngoal planning p50, lexical retrieval + parseGoal, no lookups: ${timing.first.toFixed(3)} ms for a goal new to the process, ${timing.repeated.toFixed(3)} ms repeated`);

const held = scores[1];
const failed = scores.some((s) => s.counts.wrong > 0) || (held !== undefined && held.counts.right / held.total < 0.9);
process.exitCode = failed ? 1 : 0;
