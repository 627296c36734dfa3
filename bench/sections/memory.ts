import { spawn } from "node:child_process";
import { ensureBuilt } from "../build.js";
import { formatNumber } from "../report.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { MEMORY_CHILD_SOURCE } from "../children/memory-script.js";
import { STRUCTURED_REQUESTS } from "../requests.js";
import { repoPath } from "../workspace.js";

interface Checkpoint {
  readonly label: string;
  readonly plans: number;
  readonly rss: number;
  readonly heapUsed: number;
}

const MB = 2 ** 20;

function runNode(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`node ${args.join(" ")} exited ${code}`))));
  });
}

/** Figure 9: RSS of a runtime idle and after 1k and 10k (full run: also 20k) structured plans, in fresh processes. */
export const memorySection: Section = {
  id: "memory",
  title: "Memory: RSS idle and under structured plans",
  async run(ctx) {
    const f = new Findings();
    const total = 10_000;
    // Quick runs stop at the 10k the target names; full runs go on to 20k to show the trend past it.
    const targets = ctx.quick ? [1_000, total] : [1_000, total, 2 * total];
    const runs = ctx.quick ? 1 : 2;
    const build = ensureBuilt();
    if (build.ms !== null) f.note(`Built dist/ first (${formatNumber(build.ms / 1000)} s, not timed).`);
    const bare = Number(await runNode(["--expose-gc", "-e", "gc(); gc(); process.stdout.write(String(process.memoryUsage().rss))"]));
    const all: Checkpoint[][] = [];
    for (let run = 0; run < runs; run++) {
      const args = [repoPath("dist"), JSON.stringify(targets), JSON.stringify(STRUCTURED_REQUESTS)];
      const out = await runNode(["--expose-gc", "--input-type=module", "-e", MEMORY_CHILD_SOURCE, ...args]);
      all.push(JSON.parse(out) as Checkpoint[]);
    }
    // Checkpoint by checkpoint, the largest over the child runs: memory targets are ceilings.
    const points = (all[0] as Checkpoint[]).map((point, i) => ({
      ...point,
      rss: Math.max(...all.map((run) => (run[i] as Checkpoint).rss)),
      heapUsed: Math.max(...all.map((run) => (run[i] as Checkpoint).heapUsed)),
    }));
    const at = (plans: number, label?: string) => points.find((p) => p.plans === plans && (label === undefined || p.label === label)) as Checkpoint;
    const idle = at(0, "runtime idle");
    const after1k = at(1_000);
    const after10k = at(total);
    const after20k = points.find((p) => p.plans === 2 * total);
    f.row({ label: "RSS, runtime idle", value: idle.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    f.row({ label: "RSS after 1k plans", value: after1k.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    f.row({ label: "RSS after 10k plans", value: after10k.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    if (after20k) f.row({ label: "RSS after 20k plans", value: after20k.rss / MB, unit: "MB" });
    f.row({ label: "RSS growth 1k → 10k plans", value: (after10k.rss - after1k.rss) / MB, unit: "MB" });
    f.row({ label: "heap growth 1k → 10k plans", value: (after10k.heapUsed - after1k.heapUsed) / MB, unit: "MB" });
    if (after20k) f.row({ label: "heap growth 10k → 20k plans", value: (after20k.heapUsed - after10k.heapUsed) / MB, unit: "MB" });
    f.row({ label: "bare node --expose-gc -e (baseline)", value: bare / MB, unit: "MB" });
    f.row({ label: "child before loading rag-k8s", value: at(0, "before loading rag-k8s").rss / MB, unit: "MB" });
    f.note(
      `Each checkpoint is process.memoryUsage() after two global.gc() calls in a child run with --expose-gc, the largest over ${runs} ` +
        `fresh child process${runs > 1 ? "es" : ""}; the child plans ${formatNumber(targets[targets.length - 1] ?? total)} structured requests in turn (no LLM, ` +
        "one audit line per plan). The child is plain node (no tsx) importing rag-k8s from the compiled dist/, as installed users run it.",
    );
    f.note("RSS rarely shrinks after growth (the allocator keeps pages); heap growth shows whether anything is retained.");
    return f.result();
  },
};
