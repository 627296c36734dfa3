import { mkdtempSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CLI_ENTRY, ensureBuilt } from "../build.js";
import { topSelfTime } from "../profile.js";
import { formatNumber } from "../report.js";
import { PLANNED_STATUSES } from "../requests.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { timeSpawn } from "../spawn-timing.js";
import type { SpawnTiming } from "../spawn-timing.js";
import { openWorkspace } from "../workspace.js";

const PLAN_ARGS = ["plan", "--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "web", "--json"];

interface Variant {
  readonly label: string;
  readonly args: readonly string[];
  /** The output must be a planned JSON response (the bare-node baseline prints nothing). */
  readonly plans: boolean;
  /** A fresh, empty cache folder for every run: the very first start after installing. */
  readonly coldCache?: boolean;
  readonly timings: SpawnTiming[];
}

function checkPlanned(variant: Variant, timing: SpawnTiming): void {
  let status: unknown;
  try {
    status = (JSON.parse(timing.stdout) as { status?: unknown }).status;
  } catch {
    status = undefined;
  }
  if (timing.code !== 0 || typeof status !== "string" || !PLANNED_STATUSES.has(status)) {
    throw new Error(`${variant.label} did not print a plan (exit ${timing.code}): ${timing.stdout.slice(0, 300)}${timing.stderr.slice(0, 300)}`);
  }
}

/** Figure 6: process start to the first structured plan printed by the CLI, against bare `node -e 0`. */
export const coldStartSection: Section = {
  id: "cold-start",
  title: "Cold start: CLI process to first structured plan",
  async run(ctx) {
    const f = new Findings();
    const build = ensureBuilt();
    if (build.ms !== null) f.note(`dist/ was missing or older than src/: built it first (${formatNumber(build.ms / 1000)} s, not timed in any figure).`);
    if (build.problems !== null) f.note(`tsc reported errors while building (it still emitted dist/): ${build.problems.split("\n")[0] ?? ""}`);
    const ws = openWorkspace("cold-start");
    try {
      const kubeconfig = ws.dummyKubeconfig();
      const variants: Variant[] = [
        { label: "node -e 0 (baseline)", args: ["-e", "0"], plans: false, timings: [] },
        { label: "CLI plan (defaults: no kubeconfig)", args: [CLI_ENTRY, ...PLAN_ARGS], plans: true, timings: [] },
        { label: "CLI plan --kubeconfig <dummy>", args: [CLI_ENTRY, ...PLAN_ARGS, "--kubeconfig", kubeconfig], plans: true, timings: [] },
        { label: "CLI plan, first start (empty cache)", args: [CLI_ENTRY, ...PLAN_ARGS], plans: true, coldCache: true, timings: [] },
        { label: "CLI plan --sandbox (starts the in-memory sandbox)", args: [CLI_ENTRY, ...PLAN_ARGS, "--sandbox"], plans: true, timings: [] },
      ];
      const rounds = ctx.quick ? 5 : 20;
      // Round 0 warms the page cache and is dropped; rounds interleave the variants so load from elsewhere hits all alike.
      for (let round = 0; round <= rounds; round++) {
        for (const variant of variants) {
          const env = variant.coldCache ? { ...ws.env, XDG_CACHE_HOME: mkdtempSync(join(ws.dir, "cold-cache-")) } : ws.env;
          const timing = await timeSpawn(process.execPath, variant.args, env);
          if (variant.plans) checkPlanned(variant, timing);
          if (round > 0) variant.timings.push(timing);
        }
      }
      const summarize = (v: Variant) => {
        const exit = f.measure(`${v.label}: spawn → exit`, v.timings.map((t) => t.exitMs));
        const first = v.plans ? f.measure(`${v.label}: spawn → plan printed`, v.timings.map((t) => t.firstOutputMs ?? t.exitMs)) : exit;
        return { exit, first };
      };
      const [bare, defaults, direct, firstStart, sandbox] = variants.map(summarize);
      if (!bare || !defaults || !direct || !firstStart || !sandbox) throw new Error("cold-start variants missing");
      f.row({ label: "plan printed, defaults (no kubeconfig), p50", value: defaults.first.p50, unit: "ms", target: { op: "<=", value: 400 } });
      f.row({ label: "plan printed, --kubeconfig, p50", value: direct.first.p50, unit: "ms", target: { op: "<=", value: 400 } });
      f.row({ label: "plan printed, defaults, p95", value: defaults.first.p95, unit: "ms" });
      f.row({ label: "process exit, defaults, p50", value: defaults.exit.p50, unit: "ms" });
      f.row({ label: "node -e 0, p50 (baseline)", value: bare.exit.p50, unit: "ms" });
      f.row({ label: "rag-k8s over bare node (defaults, plan printed − node -e 0)", value: defaults.first.p50 - bare.exit.p50, unit: "ms" });
      f.row({ label: "first start after install (empty cache: parse cards, build the lexical index), p50", value: firstStart.first.p50, unit: "ms" });
      f.row({ label: "plan --sandbox (starts the sandbox: TLS key, HTTPS server), p50", value: sandbox.first.p50, unit: "ms" });
      f.note(
        "`plan` contacts a cluster only for cards that look values up (newest ready pod), so it starts the sandbox only " +
          "when --sandbox asks for it; the restart planned here needs no lookup. The CLI is the esbuild bundle in dist/cli " +
          "(the package's bin); parsed cards and the lexical index come from ~/.cache/rag-k8s after the first start, the " +
          "bundled policy from its build-time parse (used only while policy/*.yaml match its digest).",
      );
      const profileDir = join(ws.dir, "profile");
      const profiled = await timeSpawn(process.execPath, [`--cpu-prof-dir=${profileDir}`, "--cpu-prof", ...(variants[1] as Variant).args], ws.env);
      const [profileFile] = readdirSync(profileDir);
      if (profileFile !== undefined) {
        f.note(
          `Where the time goes (one defaults run under --cpu-prof, ${formatNumber(profiled.exitMs)} ms, self time by origin): ` +
            `${topSelfTime(join(profileDir, profileFile)).join("; ")}.`,
        );
      }
      f.note(
        `${rounds} interleaved rounds of the ${variants.length} commands after one dropped warm-up round; HOME is a scratch folder ` +
          "(no ~/.kube/config), the audit log goes there. The plan runs no kubectl.",
      );
    } finally {
      ws.close();
    }
    return f.result();
  },
};
