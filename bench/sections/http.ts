import { startChildServer } from "../child-server.js";
import type { ChildServer } from "../child-server.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import type { Result } from "autocannon";
import { ensureBuilt } from "../build.js";
import { topOwnFunctions, topSelfTime } from "../profile.js";
import { formatNumber } from "../report.js";
import { STRUCTURED_REQUESTS } from "../requests.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { repoPath } from "../workspace.js";

const CONNECTIONS = 100;

export interface ServerSetup {
  readonly label: string;
  readonly logLevel: "info" | "debug";
  /** http.concurrency; undefined keeps the default. */
  readonly concurrency?: number;
  /** The figure the targets apply to. */
  readonly primary: boolean;
}

const SETUPS: readonly ServerSetup[] = [
  { label: "defaults (log at info)", logLevel: "info", primary: true },
  { label: "log at debug (a line per request)", logLevel: "debug", primary: false },
  { label: "http.concurrency 64", logLevel: "info", concurrency: 64, primary: false },
];

/**
 * Starts bench/children/http-server.ts, which runs the compiled server (dist/, built first when older than
 * src/); its request log goes to /dev/null (written, as in production, but not kept).
 */
export function startServer(setup: ServerSetup): Promise<ChildServer> {
  ensureBuilt();
  const args = [setup.logLevel, setup.concurrency === undefined ? "default" : String(setup.concurrency)];
  return startChildServer("HTTP bench server", repoPath("bench", "children", "http-server.ts"), args);
}

export function load(url: string, seconds: number): Promise<Result> {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: STRUCTURED_REQUESTS.map((request) => ({
      method: "POST",
      path: "/plan",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(request),
    })),
  });
}

async function measure(setup: ServerSetup, seconds: number): Promise<Result> {
  const server = await startServer(setup);
  try {
    await load(server.url, 1);
    return await load(server.url, seconds);
  } finally {
    await server.close();
  }
}

/** A short extra run with the server's CPU profiled during the load only: what its time goes to. */
export async function profileServer(setup: ServerSetup): Promise<{ groups: string[]; own: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-bench-http-prof-"));
  const path = join(dir, "server.cpuprofile");
  try {
    const server = await startServer(setup);
    try {
      await load(server.url, 1);
      await server.request({ profile: "start" });
      await load(server.url, 3);
      await server.request({ profile: "stop", path });
    } finally {
      await server.close();
    }
    return { groups: topSelfTime(path, 8), own: topOwnFunctions(path, 6) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Figure 7: POST /plan (structured, no LLM) under 100 concurrent connections. */
export const httpSection: Section = {
  id: "http",
  title: "HTTP POST /plan, 100 connections",
  async run(ctx) {
    const f = new Findings();
    const seconds = ctx.quick ? 3 : 10;
    // Quick runs measure the configuration the targets apply to; the comparisons need the full run.
    for (const setup of ctx.quick ? SETUPS.filter((s) => s.primary) : SETUPS) {
      ctx.log(`  ${setup.label}`);
      const result = await measure(setup, seconds);
      const ok = result.requests.total - result.non2xx;
      const target = <T extends { op: "<=" | ">="; value: number }>(t: T) => (setup.primary ? { target: t } : {});
      f.row({ label: `${setup.label}: 2xx throughput`, value: ok / result.duration, unit: "req/s", ...target({ op: ">=", value: 5_000 }) });
      f.row({ label: `${setup.label}: latency p50`, value: result.latency.p50, unit: "ms" });
      f.row({ label: `${setup.label}: latency p99`, value: result.latency.p99, unit: "ms", ...target({ op: "<=", value: 20 }) });
      f.row({ label: `${setup.label}: non-2xx responses`, value: result.non2xx, unit: `of ${result.requests.total}` });
      f.row({ label: `${setup.label}: errors + timeouts`, value: result.errors + result.timeouts, unit: "" });
      const codes = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}: ${count}`).join(", ");
      f.note(
        `${setup.label}: status codes ${codes}; latency p97.5 ${result.latency.p97_5} ms, max ${result.latency.max} ms; ` +
          `responses per second min ${result.requests.min}, max ${result.requests.max}.`,
      );
    }
    const primary = SETUPS.find((s) => s.primary) as ServerSetup;
    const profile = await profileServer(primary);
    f.note(
      `Where the server's time goes (${primary.label}, 3 s of load under the inspector's CPU profiler, self time by origin): ` +
        `${profile.groups.join("; ")}. Heaviest rag-k8s functions: ${profile.own.join("; ")}.`,
    );
    f.note(
      `autocannon (programmatic, in the bench process) with ${CONNECTIONS} connections for ${seconds} s after a 1 s warm-up, ` +
        `cycling through ${STRUCTURED_REQUESTS.length} structured requests; serve() from the compiled dist/ runs in a child process on 127.0.0.1 (sandbox "never"). ` +
        `Load generator and server share the 2 cores. Latency percentiles are autocannon's HDR histogram (1 ms resolution).`,
    );
    f.note(
      `The targets are held against the defaults (http.concurrency 256, log level info: /plan requests are logged at debug, ` +
        `/k8s-exec at info). With http.concurrency below the ${CONNECTIONS} connections, operations beyond it are answered 429. ` +
        "Every /plan appends one line to the JSONL audit log (kept: it is the real cost). " +
        `Throughput counts 2xx responses only (${formatNumber(CONNECTIONS)} connections, keep-alive).`,
    );
    return f.result();
  },
};
