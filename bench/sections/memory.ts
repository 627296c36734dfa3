import { spawn } from "node:child_process";
import { ensureBuilt } from "../build.js";
import { formatNumber } from "../report.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
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

/** Figure 9: RSS of a runtime idle and after 1k, 10k (and 20k) structured plans, in a fresh process each run. */
export const memorySection: Section = {
  id: "memory",
  title: "Memory: RSS idle and under structured plans",
  async run(ctx) {
    const f = new Findings();
    const total = 10_000;
    const runs = ctx.quick ? 1 : 3;
    const build = ensureBuilt();
    if (build.ms !== null) f.note(`Built dist/ first (${formatNumber(build.ms / 1000)} s, not timed).`);
    const bare = Number(await runNode(["--expose-gc", "-e", "gc(); gc(); process.stdout.write(String(process.memoryUsage().rss))"]));
    const all: Checkpoint[][] = [];
    for (let run = 0; run < runs; run++) {
      const out = await runNode(["--expose-gc", "--import", "tsx", repoPath("bench", "children", "memory.ts"), String(total), repoPath("dist")]);
      all.push(JSON.parse(out) as Checkpoint[]);
    }
    // Checkpoint by checkpoint, the median over the child runs.
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const points = (all[0] as Checkpoint[]).map((point, i) => ({
      ...point,
      rss: median(all.map((run) => (run[i] as Checkpoint).rss)),
      heapUsed: median(all.map((run) => (run[i] as Checkpoint).heapUsed)),
    }));
    const at = (plans: number, label?: string) => points.find((p) => p.plans === plans && (label === undefined || p.label === label)) as Checkpoint;
    const idle = at(0, "runtime idle");
    const after1k = at(1_000);
    const after10k = at(total);
    const after20k = at(2 * total);
    f.row({ label: "RSS, runtime idle", value: idle.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    f.row({ label: "RSS after 1k plans", value: after1k.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    f.row({ label: "RSS after 10k plans", value: after10k.rss / MB, unit: "MB", target: { op: "<=", value: 150 } });
    f.row({ label: "RSS after 20k plans", value: after20k.rss / MB, unit: "MB" });
    f.row({ label: "RSS growth 1k → 10k plans", value: (after10k.rss - after1k.rss) / MB, unit: "MB" });
    f.row({ label: "heap growth 1k → 10k plans", value: (after10k.heapUsed - after1k.heapUsed) / MB, unit: "MB" });
    f.row({ label: "heap growth 10k → 20k plans", value: (after20k.heapUsed - after10k.heapUsed) / MB, unit: "MB" });
    f.row({ label: "bare node --expose-gc -e (baseline)", value: bare / MB, unit: "MB" });
    f.row({ label: "child before loading rag-k8s (node + tsx loader)", value: at(0, "before loading rag-k8s").rss / MB, unit: "MB" });
    f.note(
      `Each checkpoint is process.memoryUsage() after two global.gc() calls in a child run with --expose-gc, median over ${runs} ` +
        `fresh child process${runs > 1 ? "es" : ""}; the child plans ${formatNumber(2 * total)} structured requests in turn (no LLM, ` +
        "audit line per plan). It runs the TypeScript sources through tsx, whose loader adds to RSS: the \"child with tsx\" row is " +
        "that floor; the bare-node row is the floor without it.",
    );
    f.note("RSS rarely shrinks after growth (the allocator keeps pages); heap growth shows whether anything is retained.");
    return f.result();
  },
};
