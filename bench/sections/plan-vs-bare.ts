import { startChildServer } from "../child-server.js";
import type { ChildServer } from "../child-server.js";
import { STRUCTURED_REQUESTS } from "../requests.js";
import { Findings } from "../section.js";
import { percentile } from "../stats.js";
import type { Section } from "../section.js";
import { repoPath } from "../workspace.js";
import { load, profileServer, startServer } from "./http.js";
import type { ServerSetup } from "./http.js";

/** CPU microseconds (user + system) a server child has used so far. */
async function cpuMicros(server: { request(message: unknown): Promise<unknown> }): Promise<number> {
  const { cpu } = (await server.request("cpu")) as { cpu: NodeJS.CpuUsage };
  return cpu.user + cpu.system;
}

/** Starts bench/children/bare-fastify.ts and hands it the answers it must give. */
function startBare(pairs: [string, string][]): Promise<ChildServer> {
  return startChildServer("bare fastify", repoPath("bench", "children", "bare-fastify.ts"), [], pairs);
}

/**
 * Issue 18: POST /plan throughput at 100 connections against a bare fastify route that returns the same bodies,
 * side by side in one run (servers in their own processes, loaded one at a time, alternating).
 */
export const planVsBareSection: Section = {
  id: "plan-vs-bare",
  title: "HTTP POST /plan vs a bare fastify route, 100 connections",
  async run(ctx) {
    const f = new Findings();
    // Short windows, alternating: the machine's slow phases (a shared host) fall on both servers alike, where two
    // 10 s blocks let one phase land on one server only and swing the ratio by ±0.1 between runs.
    const seconds = 2;
    const rounds = ctx.quick ? 4 : 12;
    const setup: ServerSetup = { label: "defaults", logLevel: "info", primary: true };
    const server = await startServer(setup);
    try {
      const pairs: [string, string][] = [];
      for (const request of STRUCTURED_REQUESTS) {
        const response = await fetch(`${server.url}/plan`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
        if (response.status !== 200) throw new Error(`POST /plan ${JSON.stringify(request)}: ${response.status}`);
        pairs.push([JSON.stringify(request), await response.text()]);
      }
      const bare = await startBare(pairs);
      try {
        const ours: number[] = [];
        const theirs: number[] = [];
        const p99: { ours: number[]; bare: number[] } = { ours: [], bare: [] };
        // Server CPU per answered request: what each server spends, whatever share of the cores it got.
        const cpu: { ours: number[]; bare: number[] } = { ours: [], bare: [] };
        // Both servers warm before anything is counted: V8 optimizes rag-k8s's larger code path over the first seconds of load.
        for (const child of [server, bare]) await load(child.url, ctx.quick ? 2 : 5);
        for (let round = 0; round < rounds; round++) {
          // Which server goes first alternates too, so neither always runs right after the other.
          const order = [[server, ours, p99.ours, cpu.ours], [bare, theirs, p99.bare, cpu.bare]] as const;
          for (const [child, into, lat, spent] of round % 2 === 0 ? order : [...order].reverse()) {
            const before = await cpuMicros(child);
            const r = await load(child.url, seconds);
            const used = (await cpuMicros(child)) - before;
            if (r.non2xx > 0 || r.errors > 0) throw new Error(`${child.url}: ${r.non2xx} non-2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors`);
            into.push(r.requests.total / r.duration);
            lat.push(r.latency.p99);
            spent.push(used / r.requests.total);
          }
          ctx.log(`  round ${round + 1}: rag-k8s ${ours.at(-1)?.toFixed(0)} req/s (${cpu.ours.at(-1)?.toFixed(1)} µs CPU each), bare fastify ${theirs.at(-1)?.toFixed(0)} req/s (${cpu.bare.at(-1)?.toFixed(1)} µs CPU each)`);
        }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const paired = ours.map((value, i) => value / (theirs[i] as number)).sort((a, b) => a - b);
        f.row({ label: "rag-k8s POST /plan throughput", value: mean(ours), unit: "req/s" });
        f.row({ label: "bare fastify route, same bodies, throughput", value: mean(theirs), unit: "req/s" });
        f.row({ label: "rag-k8s ÷ bare fastify (throughput)", value: mean(ours) / mean(theirs), unit: "×", target: { op: ">=", value: 0.8 } });
        f.row({ label: "rag-k8s ÷ bare fastify, per round: median", value: percentile(paired, 50), unit: "×" });
        f.row({ label: "rag-k8s ÷ bare fastify, per round: lowest", value: paired[0] as number, unit: "×" });
        f.row({ label: "rag-k8s server CPU per request", value: mean(cpu.ours), unit: "µs" });
        f.row({ label: "bare fastify server CPU per request", value: mean(cpu.bare), unit: "µs" });
        f.row({ label: "bare ÷ rag-k8s CPU per request (the throughput ratio a CPU-bound server would reach)", value: mean(cpu.bare) / mean(cpu.ours), unit: "×" });
        f.row({ label: "rag-k8s latency p99", value: Math.max(...p99.ours), unit: "ms" });
        f.row({ label: "bare fastify latency p99", value: Math.max(...p99.bare), unit: "ms" });
        f.note(
          `autocannon in the bench process, 100 connections, ${rounds} rounds of ${seconds} s per server, alternating (which server goes first alternates too), once both servers ran ${ctx.quick ? 2 : 5} s of load; ` +
            "the throughput ratio is total rag-k8s answers over total bare answers (the windows are equal), the per-round ratios show the spread. " +
            "Until 2026-12-05 this section ran 2 rounds of 10 s (quick: 1 of 3 s): a slow phase of the shared host falling on one server's block swung the ratio by about ±0.1 from run to run. " +
            `${STRUCTURED_REQUESTS.length} structured requests in turn. The bare route answers each request with the body rag-k8s gave it (the same JSON, operationId aside), returned as an object for fastify to serialize, ` +
            "no logger, no hooks. Load generator and servers share the machine's cores. rag-k8s runs the compiled server (dist/, as `rag-k8s serve` ships; " +
            "until 2026-12-05 this section ran the TypeScript source under tsx, whose keepNames transform adds a call to every closure created per request) with its defaults: bound to loopback, where every " +
            "local client shares one address, a client address may have http.concurrency (256) requests open, so autocannon's 100 connections " +
            "(one address standing in for 100 agents) are all served; any non-2xx response fails the section.",
        );
        if (mean(ours) / mean(theirs) < 0.8) {
          const profile = await profileServer(setup);
          f.note(`Where rag-k8s's time goes under this load (3 s CPU profile, self time by origin): ${profile.groups.join("; ")}. Heaviest rag-k8s functions: ${profile.own.join("; ")}.`);
        }
        return f.result();
      } finally {
        await bare.close();
      }
    } finally {
      await server.close();
    }
  },
};
