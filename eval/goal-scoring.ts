/**
 * Scoring of the model-free goal parser on the goal sets, shared by eval/measure-goals.ts and the bench's `goals`
 * section. Per set: right, needs_input, unsupported, needs_lookup, wrong.
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
 * Nothing runs against a cluster but read-only `kubectl get`, and nothing is written to any audit log.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CardSet } from "../src/cards/index.js";
import { readEvalSet } from "../src/eval/index.js";
import type { EvalCase } from "../src/eval/index.js";
import { createInventory } from "../src/kube/index.js";
import type { InventorySnapshot, KubectlRead } from "../src/kube/index.js";
import { parseGoal, retrievalText } from "../src/planner/goal/index.js";
import type { GoalParse } from "../src/planner/goal/index.js";
import { LookupRequired } from "../src/planner/template.js";
import { createRetriever } from "../src/retrieval/index.js";

export type Verdict = "right" | "needs_input" | "unsupported" | "needs_lookup" | "wrong";

export interface GoalSet {
  readonly name: string;
  readonly file: string;
  /** Held-out sets were written before tuning; the eval fails below `minRight` on them. */
  readonly heldOut: boolean;
  /** Goals resolved against the homelab sandbox's inventory instead of the text alone. */
  readonly homelab: boolean;
  readonly minRight: number;
}

export const GOAL_SETS: readonly GoalSet[] = [
  { name: "tuning", file: "eval/goals.jsonl", heldOut: false, homelab: false, minRight: 0.95 },
  { name: "held-out", file: "eval/goals.heldout.jsonl", heldOut: true, homelab: false, minRight: 0.9 },
  { name: "voices (held-out)", file: "eval/goals.voices.heldout.jsonl", heldOut: true, homelab: false, minRight: 0.9 },
  { name: "homelab", file: "eval/homelab.jsonl", heldOut: false, homelab: true, minRight: 0.95 },
];

export interface Miss {
  readonly id: string;
  readonly goal: string;
  readonly verdict: Verdict;
  readonly expected: string;
  readonly got: string;
}

export interface SetScore {
  readonly set: GoalSet;
  readonly counts: Record<Verdict, number>;
  readonly total: number;
  /** How the rows that expect a question were answered. */
  readonly questions: { needs_input: number; unsupported: number; lookup: number };
  /** Every goal that was not right. */
  readonly misses: readonly Miss[];
  readonly passed: boolean;
}

export interface GoalParser {
  parse(goal: string, inventory: InventorySnapshot | undefined): GoalParse | "needs_lookup";
}

/** parseGoal as the goal planner runs it: cards ranked on the normalised goal, kubectl cards only. */
export async function goalParser(cards: CardSet): Promise<GoalParser> {
  const retriever = await createRetriever({ cards });
  const binaries: ReadonlySet<string> = new Set(["kubectl"]);
  return {
    parse(goal, inventory) {
      try {
        return parseGoal(goal, retriever.searchLexical(retrievalText(goal), { k: 6 }), binaries, { inventory });
      } catch (error) {
        if (error instanceof LookupRequired) return "needs_lookup";
        throw error;
      }
    },
  };
}

function judge(c: EvalCase, result: GoalParse | "needs_lookup"): { verdict: Verdict; got: string } {
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

export function scoreSet(set: GoalSet, cases: readonly EvalCase[], parser: GoalParser, inventory?: InventorySnapshot): SetScore {
  const counts: Record<Verdict, number> = { right: 0, needs_input: 0, unsupported: 0, needs_lookup: 0, wrong: 0 };
  const questions = { needs_input: 0, unsupported: 0, lookup: 0 };
  const misses: Miss[] = [];
  for (const c of cases) {
    const result = parser.parse(c.goal ?? "", inventory);
    const { verdict, got } = judge(c, result);
    counts[verdict]++;
    if (c.expect.command === undefined && c.expect.commandRegex === undefined && verdict === "right") {
      if (result === "needs_lookup") questions.lookup++;
      else if (result.kind === "needs_input" && result.unsupported) questions.unsupported++;
      else questions.needs_input++;
    }
    if (verdict !== "right") {
      misses.push({ id: c.id ?? "", goal: c.goal ?? "", verdict, expected: c.expect.command ?? c.expect.commandRegex ?? c.expect.status ?? "", got });
    }
  }
  const total = cases.length;
  return { set, counts, total, questions, misses, passed: counts.wrong === 0 && (total === 0 || counts.right / total >= set.minRight) };
}

export async function readGoalSet(set: GoalSet): Promise<EvalCase[]> {
  return (await readEvalSet(set.file)).filter((c) => c.goal !== undefined);
}

const kubectlRead =
  (kubeconfig: string, env: NodeJS.ProcessEnv): KubectlRead =>
  (argv) =>
    new Promise((resolve) => {
      execFile("kubectl", [...argv, "--kubeconfig", kubeconfig], { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout });
      });
    });

/**
 * The homelab inventory, read with real kubectl from a sandbox seeded with the homelab fixture. `use` runs while
 * the sandbox is up with the inventory (TTL `ttlMs`) and a count of the kubectl calls it made so far.
 */
export async function withHomelabInventory<T>(ttlMs: number, use: (inventory: ReturnType<typeof createInventory>, calls: () => number) => Promise<T>): Promise<T> {
  const { startSandbox } = await import("../src/sandbox/index.js");
  const sandbox = await startSandbox({ fixture: "eval/homelab.fixture.yaml" });
  const scratch = await mkdtemp(join(tmpdir(), "rag-k8s-goals-"));
  try {
    const kubeconfig = join(scratch, "kubeconfig");
    await sandbox.writeKubeconfig(kubeconfig);
    const read = kubectlRead(kubeconfig, { ...process.env, KUBECACHEDIR: join(scratch, "cache") });
    let calls = 0;
    const inventory = createInventory(
      (argv) => {
        calls++;
        return read(argv);
      },
      { ttlMs },
    );
    return await use(inventory, () => calls);
  } finally {
    await sandbox.close();
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Scores every set; the homelab set against the sandbox's inventory. */
export async function scoreAllSets(parser: GoalParser): Promise<SetScore[]> {
  const scores: SetScore[] = [];
  for (const set of GOAL_SETS) {
    const cases = await readGoalSet(set);
    if (!set.homelab) {
      scores.push(scoreSet(set, cases, parser));
      continue;
    }
    scores.push(
      await withHomelabInventory(60_000, async (inventory) => {
        const snapshot = await inventory.snapshot();
        if (!snapshot.ok) throw new Error(`homelab inventory: ${snapshot.reason}`);
        return scoreSet(set, cases, parser, snapshot);
      }),
    );
  }
  return scores;
}
