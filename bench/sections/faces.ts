import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { createRagK8s } from "../../src/app/runtime.js";
import { serve } from "../../src/interfaces/http/serve.js";
import { registerTools } from "../../src/interfaces/mcp/tools.js";
import { startCluster } from "../../test/core/harness.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";

type Mode = "api" | "kubectl";
type Face = "HTTP" | "MCP";

interface Op {
  readonly label: string;
  readonly write: boolean;
  command(i: number): string;
}

/** Deployments `rollout restart` rotates over (namespaces where a restart runs without confirmation or with one). */
const RESTARTABLE: readonly [string, string][] = [["shop", "web"], ["staging", "web"], ["staging", "payments-api"], ["dev", "web"], ["dev", "api"], ["batch", "worker"]];

function ops(logsPod: string): Op[] {
  return [
    { label: "list pods", write: false, command: () => "kubectl get pods -n prod" },
    { label: "get deployment", write: false, command: () => "kubectl get deployment web -n shop" },
    { label: "logs", write: false, command: () => `kubectl logs ${logsPod} -n shop --tail=50` },
    { label: "events", write: false, command: () => "kubectl get events -n prod" },
    { label: "scale", write: true, command: (i) => `kubectl scale deployment/web -n shop --replicas=${3 + (i % 2)}` },
    {
      label: "rollout restart",
      write: true,
      command: (i) => {
        const [ns, name] = RESTARTABLE[i % RESTARTABLE.length] as [string, string];
        return `kubectl rollout restart deployment/${name} -n ${ns}`;
      },
    },
  ];
}

interface Answer {
  readonly status: string;
  readonly confirmToken?: string;
  readonly executors: string[];
  /** The pipeline's own clock: total, and the executor's share (null when the face did not return timings). */
  readonly timings: { readonly totalMs: number; readonly execMs: number } | null;
  readonly raw: string;
}

/** One face's way of sending a command request and reading the response's status, token and executors. */
type Send = (command: string, constraints?: Record<string, unknown>) => Promise<Answer>;

function answerOf(body: Record<string, unknown>, raw: string): Answer {
  const steps = (body["steps"] ?? body["results"] ?? []) as { executor?: string }[];
  const executors = Array.isArray(steps) ? steps.map((s) => s.executor ?? "?") : [];
  const token = body["confirmToken"];
  const t = body["timings"] as { totalMs?: unknown; execMs?: unknown } | undefined;
  const timings = typeof t?.totalMs === "number" && typeof t.execMs === "number" ? { totalMs: t.totalMs, execMs: t.execMs } : null;
  return { status: String(body["status"]), executors, timings, raw, ...(typeof token === "string" ? { confirmToken: token } : {}) };
}

async function httpSend(url: string): Promise<Send> {
  return async (command, constraints) => {
    const response = await fetch(`${url}/k8s-exec`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ command, ...(constraints ? { constraints } : {}) }),
    });
    const raw = await response.text();
    return answerOf(JSON.parse(raw) as Record<string, unknown>, raw);
  };
}

function mcpSend(client: Client): Send {
  return async (command, constraints) => {
    const write = !/^kubectl (get|logs|describe)\b/.test(command);
    const result = await client.callTool({ name: write ? "k8s_exec" : "k8s_read", arguments: { command, ...(constraints ? { constraints } : {}) } });
    const structured = (result.structuredContent ?? {}) as Record<string, unknown>;
    return answerOf(structured, JSON.stringify(result));
  };
}

/** Time of the call that runs the command: for a write that needs approval, the confirmed call (the ask is not timed). */
async function timeOnce(send: Send, command: string, mode: Mode): Promise<{ ms: number; timings: Answer["timings"] }> {
  let constraints: Record<string, unknown> | undefined;
  const first = performance.now();
  let answer = await send(command);
  let ms = performance.now() - first;
  if (answer.status === "awaiting_confirmation" && answer.confirmToken) {
    constraints = { confirm: true, confirmToken: answer.confirmToken };
    const start = performance.now();
    answer = await send(command, constraints);
    ms = performance.now() - start;
  }
  if (answer.status !== "succeeded") throw new Error(`${command}: ${answer.status}: ${answer.raw.slice(0, 400)}`);
  if (answer.executors.length > 0 && answer.executors.some((e) => e !== mode)) throw new Error(`${command} in exec.mode ${mode} ran via ${answer.executors.join(",")}`);
  return { ms, timings: answer.timings };
}

/**
 * Issue 18's judgement: the six common operations sent as command requests through the HTTP service and MCP
 * (in-memory SDK client) against the sandbox, once with exec.mode api and once with exec.mode kubectl, same run.
 */
export const facesSection: Section = {
  id: "faces",
  title: "Operations through HTTP and MCP: exec.mode api vs kubectl (sandbox)",
  async run(ctx) {
    const f = new Findings();
    const h = await startCluster();
    try {
      const runs = { api: ctx.quick ? 30 : 150, kubectl: ctx.quick ? 8 : 25 };
      const lastRestart = new Map<string, number>();
      const p50: Record<string, number> = {};
      for (const mode of ["api", "kubectl"] as const) {
        const config = h.config({ exec: { mode }, logLevel: "silent" });
        const server = await serve({ config, env: h.env, sandbox: "never" });
        const runtime = await createRagK8s({ config, env: h.env, sandbox: "never" });
        const mcp = new McpServer({ name: "rag-k8s", version: "0" });
        registerTools(mcp, runtime);
        const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
        await mcp.connect(serverSide);
        const client = new Client({ name: "bench", version: "0" });
        await client.connect(clientSide);
        try {
          const faces: [Face, Send][] = [["HTTP", await httpSend(server.url)], ["MCP", mcpSend(client)]];
          const listed = await runtime.exec({ command: "kubectl get pods -n shop -o name" });
          const logsPod = (listed.stdout.split("\n").find((l) => l.startsWith("pod/web-")) ?? "pod/web").slice(4);
          for (const op of ops(logsPod)) {
            for (const [face, send] of faces) {
              const samples: number[] = [];
              const pipeline: number[] = [];
              const executor: number[] = [];
              for (let i = -2; i < runs[mode]; i++) {
                const command = op.command(i + 2);
                if (op.label === "rollout restart") {
                  // Restarts are stamped to the second: keep a second between two of the same deployment.
                  const wait = (lastRestart.get(command) ?? 0) + 1100 - Date.now();
                  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
                  lastRestart.set(command, Date.now());
                }
                const { ms, timings } = await timeOnce(send, command, mode);
                if (i < 0) continue;
                samples.push(ms);
                if (timings) {
                  pipeline.push(timings.totalMs);
                  executor.push(timings.execMs);
                }
              }
              const s = f.measure(`${op.label} via ${face}, exec.mode ${mode}`, samples);
              p50[`${op.label}|${face}|${mode}`] = s.p50;
              // Where a call's time goes: the executor's share, the rest of the pipeline (policy, approval, audit), the face.
              if (mode === "api" && pipeline.length === samples.length) {
                f.measure(`${op.label} via ${face}, exec.mode api: pipeline totalMs (server clock)`, pipeline);
                f.measure(`${op.label} via ${face}, exec.mode api: execMs (executor's share)`, executor);
              }
              ctx.log(`  ${op.label} via ${face} (${mode}): p50 ${s.p50.toFixed(2)} p95 ${s.p95.toFixed(2)} p99 ${s.p99.toFixed(2)} ms`);
              if (mode === "api") f.row({ label: `${op.label} via ${face}, api p50`, value: s.p50, unit: "ms", target: { op: "<=", value: op.write ? 20 : 10 } });
              else {
                const api = p50[`${op.label}|${face}|api`] ?? Number.NaN;
                f.row({ label: `${op.label} via ${face}, kubectl p50`, value: s.p50, unit: "ms" });
                f.row({ label: `${op.label} via ${face}, speed-up (kubectl p50 / api p50)`, value: s.p50 / api, unit: "×", target: { op: ">=", value: 10 } });
              }
            }
          }
        } finally {
          await client.close();
          await mcp.close();
          await runtime.close();
          await server.close();
        }
      }
      f.note(
        "Command requests ({command: \"kubectl …\"}) sent one at a time, warm, over keep-alive HTTP (fetch to POST /k8s-exec) and over an in-memory MCP " +
          "client (k8s_read for reads, k8s_exec for writes); each face has its own warm runtime; wall time from send to parsed answer, policy, audit and redaction included.",
      );
      f.note(
        "Writes need approval: scale always, rollout restart in some namespaces. The time is that of the confirmed call (confirm + confirmToken) that runs the write; the ask that returns the token is not timed. " +
          "The sandbox answers a write before its controllers act (as an API server does); they run one pass per event-loop turn afterwards, and whatever " +
          "they still owe is settled before the sandbox serves its next request, so a write's time may include passes left over from the previous one. " +
          "A write's execMs also holds two fdatasyncs of the audit log's mutation stream (the write-ahead intent before the PATCH, the result after). The sandbox, the HTTP server, " +
          "both runtimes and the clients share this one process and its event loop, as in the test harness.",
      );
      f.note("For exec.mode api, the two series under each operation split the time by the pipeline's own timings: totalMs (request to response inside the runtime) and execMs (the executor); send-to-answer minus totalMs is the face (HTTP or MCP, JSON).");
      f.note(`Samples: ${runs.api} per operation and face with exec.mode api, ${runs.kubectl} with exec.mode kubectl, after 2 warm-up calls; every answer checked succeeded and answered by the mode's executor.`);
      return f.result();
    } finally {
      await h.close();
    }
  },
};
