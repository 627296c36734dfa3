import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { GOAL_SETS, goalParser, readGoalSet, scoreAllSets } from "../../eval/goal-scoring.js";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { StageTimer } from "../../src/core/timer.js";
import { createInventory } from "../../src/kube/index.js";
import type { KubectlRead } from "../../src/kube/index.js";
import { createGoalPlanner } from "../../src/planner/goal-planner.js";
import { parseGoalWithInventory, retrievalText } from "../../src/planner/goal/index.js";
import { createRetriever } from "../../src/retrieval/index.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { timeAsync } from "../stats.js";

const TTL_MS = 30_000;

/**
 * Inventory reads per TTL window: the homelab goals planned over simulated time against a fake kubectl that answers
 * with the homelab fixture, with or without the Flux kinds. `spreadMs`: the goals of a window are spread over this
 * long; goals naming something the cluster lacks refresh on the miss, at most once per minRefreshMs (2 s).
 */
async function inventoryCalls(goals: readonly string[], flux: boolean, spreadMs: number): Promise<{ windows: number; calls: number; firstWindow: number }> {
  const fixture = parseYaml(readFileSync("eval/homelab.fixture.yaml", "utf8")) as { objects: unknown[] };
  const listing = JSON.stringify({ kind: "List", items: fixture.objects });
  let calls = 0;
  let clock = 0;
  const read: KubectlRead = async (argv) => {
    calls++;
    return !flux && /fluxcd\.io/.test(argv[1] ?? "") ? { code: 1, stdout: "" } : { code: 0, stdout: listing };
  };
  const inventory = createInventory(read, { ttlMs: TTL_MS, now: () => clock });
  const retriever = await createRetriever({ cards: loadCardsSync([bundledCardsDir()]) });
  const binaries = new Set(["kubectl"]);
  const windows = 5;
  let firstWindow = 0;
  for (let w = 0; w < windows; w++) {
    for (const [i, goal] of goals.entries()) {
      clock = w * TTL_MS + (i * spreadMs) / goals.length;
      await parseGoalWithInventory(goal, retriever.searchLexical(retrievalText(goal), { k: 6 }), binaries, inventory);
    }
    if (w === 0) firstWindow = calls;
  }
  return { windows, calls, firstWindow };
}

/** Goals: how many are planned right per set, planning time without lookups, and inventory reads per TTL. */
export const goalsSection: Section = {
  id: "goals",
  title: "Goals without a model (right / asked / wrong per set, planning time, inventory reads)",
  async run(ctx) {
    const f = new Findings();
    const cards = loadCardsSync([bundledCardsDir()]);
    ctx.log("goals: scoring the sets (homelab starts a sandbox)");
    for (const score of await scoreAllSets(await goalParser(cards))) {
      const { counts, total, set } = score;
      f.row({ label: `${set.name}: right of ${total}`, value: (100 * counts.right) / total, unit: "%", target: { op: ">=", value: 100 * set.minRight } });
      f.row({ label: `${set.name}: needs_input / unsupported / needs_lookup (expected a command)`, value: counts.needs_input + counts.unsupported + counts.needs_lookup, unit: "goals" });
      f.row({ label: `${set.name}: wrong commands`, value: counts.wrong, unit: "goals", target: { op: "<=", value: 0 } });
      f.note(`${set.name} (${set.file}${set.heldOut ? ", held-out" : ""}): ${counts.right} right, ${counts.needs_input} needs_input, ${counts.unsupported} unsupported, ${counts.needs_lookup} needs_lookup, ${counts.wrong} wrong of ${total}.`);
    }

    // Planning time: the goal planner as the pipeline calls it (lexical retrieval + parse), no cluster, no model.
    const goals = (await Promise.all(GOAL_SETS.filter((s) => !s.homelab).map(readGoalSet))).flat().map((c) => c.goal ?? "");
    const planner = createGoalPlanner({ cards, retriever: await createRetriever({ cards }), binaries: new Set(["kubectl"]) });
    const plan = (i: number) => planner.plan({ goal: goals[i % goals.length] ?? "" }, new StageTimer());
    // First round: every goal new to the retriever's ranking memo (the code warmed by the scoring above).
    const first = f.measure(`goal planner, each of ${goals.length} goals new to the process`, await timeAsync(goals.length, plan, 0));
    const rounds = ctx.quick ? 3 : 10;
    const repeated = f.measure(`goal planner, the same goals again (${rounds} rounds)`, await timeAsync(goals.length * rounds, plan, 0));
    f.row({ label: "goal planning p50, new goal (warm process, no lookups)", value: first.p50, unit: "ms", target: { op: "<=", value: 5 } });
    f.row({ label: "goal planning p95, new goal", value: first.p95, unit: "ms" });
    f.row({ label: "goal planning p99, new goal", value: first.p99, unit: "ms" });
    f.row({ label: "goal planning p50, repeated goal", value: repeated.p50, unit: "ms" });
    f.row({ label: "goal planning p99, repeated goal", value: repeated.p99, unit: "ms" });

    const homelab = (await readGoalSet(GOAL_SETS.find((s) => s.homelab) ?? GOAL_SETS[0]!)).map((c) => c.goal ?? "");
    const burst = await inventoryCalls(homelab, true, 1_000);
    const spread = await inventoryCalls(homelab, true, TTL_MS - 1);
    const noFlux = await inventoryCalls(homelab, false, 1_000);
    f.row({ label: `inventory kubectl calls per ${TTL_MS / 1000} s TTL, ${homelab.length} goals within a second`, value: burst.calls / burst.windows, unit: "calls", target: { op: "<=", value: 1 } });
    f.row({ label: "the same without the Flux CRDs, after the first window", value: (noFlux.calls - noFlux.firstWindow) / (noFlux.windows - 1), unit: "calls", target: { op: "<=", value: 1 } });
    f.row({ label: "the same without the Flux CRDs, first window (narrower lists tried once)", value: noFlux.firstWindow, unit: "calls", target: { op: "<=", value: 3 } });
    f.row({ label: `inventory kubectl calls per TTL, goals spread over the TTL (misses refresh, ≤ 1 per 2 s)`, value: spread.calls / spread.windows, unit: "calls", target: { op: "<=", value: 1 + TTL_MS / 2_000 } });
    f.note(
      `Inventory: the ${homelab.length} homelab goals planned in each of ${burst.windows} simulated ${TTL_MS / 1000} s TTL windows against a fake kubectl ` +
        "answering with eval/homelab.fixture.yaml. Goals that name something the cluster lacks (the set's \"did you mean\" rows) refresh the " +
        "inventory on the miss, at most once per minRefreshMs (2 s) and restarting the TTL; spread over the window they add those refreshes. " +
        "Without the Flux kinds kubectl fails the whole list, so the first read tries narrower lists (again after 10 min).",
    );
    f.note("Planning time is createGoalPlanner.plan in process: lexical retrieval on the normalised goal plus the slot parser; no inventory, no model.");
    return f.result();
  },
};
