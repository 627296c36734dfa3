import { join } from "node:path";
import { createApiExecutor, createExecutor, locateExecutable, type Executor } from "../../src/executor/index.js";
import type { ExecResult } from "../../src/executor/index.js";
import { Agent, request } from "node:https";
import { startSandbox, type Sandbox } from "../../src/sandbox/index.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { openWorkspace } from "../workspace.js";

interface Op {
  label: string;
  write: boolean;
  /** argv for iteration i (writes vary it so every call changes something). */
  argv(i: number): string[];
}

/** Deployments `rollout restart` rotates over: kubectl refuses a second restart of one within the same second. */
const RESTARTABLE: readonly [string, string][] = [
  ["shop", "web"], ["prod", "api"], ["prod", "web"], ["prod", "checkout"], ["prod", "orders-worker"], ["prod", "payments-api"],
  ["staging", "web"], ["staging", "payments-api"], ["dev", "web"], ["dev", "api"], ["batch", "worker"], ["kube-system", "coredns"],
];

const OPS: readonly Op[] = [
  { label: "list pods", write: false, argv: () => ["kubectl", "get", "pods", "-n", "shop"] },
  { label: "get deployment", write: false, argv: () => ["kubectl", "get", "deployment", "web", "-n", "shop"] },
  { label: "logs", write: false, argv: () => ["kubectl", "logs", "web-47f8hbf-4945s", "-n", "shop", "--tail=50"] },
  { label: "events", write: false, argv: () => ["kubectl", "get", "events", "-n", "shop", "--sort-by=.lastTimestamp"] },
  { label: "scale", write: true, argv: (i) => ["kubectl", "scale", "deployment/web", "-n", "shop", `--replicas=${3 + (i % 2)}`] },
  // The same write validated and answered but not persisted: the executor's own cost without the controllers.
  { label: "scale --dry-run=server", write: true, argv: (i) => ["kubectl", "scale", "deployment/web", "-n", "shop", `--replicas=${5 + (i % 2)}`, "--dry-run=server"] },
  {
    label: "rollout restart",
    write: true,
    argv: (i) => {
      const [ns, name] = RESTARTABLE[i % RESTARTABLE.length] as [string, string];
      return ["kubectl", "rollout", "restart", `deployment/${name}`, "-n", ns];
    },
  },
];

/** GET + strategic-merge PATCH of restartedAt, straight to the sandbox: what any client must wait for. */
async function rawRestarts(sandbox: Sandbox, runs: number): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, ...(sandbox.ca ? { ca: sandbox.ca } : {}) });
  const url = new URL(sandbox.url);
  const send = (method: string, path: string, body?: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { Authorization: `Bearer ${sandbox.token ?? ""}`, Accept: "application/json" };
      if (body !== undefined) Object.assign(headers, { "Content-Type": "application/strategic-merge-patch+json", "Content-Length": String(Buffer.byteLength(body)) });
      const req = request({ hostname: url.hostname, port: url.port, path, method, headers, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
  const out: number[] = [];
  let tick = Date.now() + 10_000_000;
  try {
    for (let i = 0; i < runs; i++) {
      const [ns, name] = RESTARTABLE[i % RESTARTABLE.length] as [string, string];
      const path = `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
      const body = JSON.stringify({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": new Date((tick += 1000)).toISOString() } } } } });
      const start = performance.now();
      const got = await send("GET", path);
      const patched = await send("PATCH", `${path}?fieldManager=kubectl-rollout`, body);
      out.push(performance.now() - start);
      if (got !== 200 || patched !== 200) throw new Error(`raw restart of ${ns}/${name}: GET ${got}, PATCH ${patched}`);
    }
  } finally {
    agent.destroy();
  }
  return out;
}

/**
 * The API executor against the kubectl executor, same sandbox, same run, same argv: wall time of
 * `executor.run(argv)` per operation. Both produce identical output (test/executor/api-equivalence.test.ts).
 */
export const apiExecutorSection: Section = {
  id: "api-executor",
  title: "API executor vs kubectl executor (sandbox)",
  async run(ctx) {
    const f = new Findings();
    const ws = openWorkspace("api-executor");
    const sandbox = await startSandbox();
    try {
      const kubeconfig = join(ws.dir, "kubeconfig");
      await sandbox.writeKubeconfig(kubeconfig);
      const kubectlPath = locateExecutable("kubectl", ws.env.PATH);
      if (kubectlPath === undefined) return f.result("kubectl is not on PATH");
      const kubectl = createExecutor({ binaries: { kubectl: kubectlPath }, env: { ...ws.env, KUBECONFIG: kubeconfig }, concurrency: 1 });
      // Restarts in one second need distinct stamps: the API executor's clock advances a second per call.
      let tick = Date.now();
      const api = createApiExecutor({ fallback: kubectl, mode: "auto", kubeconfig, now: () => new Date((tick += 1000)) });
      const lastRestart = new Map<string, number>();
      const time = async (executor: Executor, argv: string[]): Promise<number> => {
        const key = argv[1] === "rollout" ? argv.slice(3).join(" ") : "";
        if (key && executor === kubectl) {
          // kubectl stamps restarts with the wall clock: keep a second between two of the same deployment.
          const wait = (lastRestart.get(key) ?? 0) + 1100 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          lastRestart.set(key, Date.now());
        }
        const start = performance.now();
        const r: ExecResult = await executor.run(argv);
        const ms = performance.now() - start;
        if (r.code !== 0) throw new Error(`${argv.join(" ")} exited ${r.code} via ${r.executor ?? "kubectl"}: ${r.stderr.slice(0, 300)}`);
        if (executor === api && r.executor !== "api") throw new Error(`${argv.join(" ")} was not answered in process`);
        return ms;
      };
      const apiRuns = ctx.quick ? 40 : 200;
      const kubectlRuns = ctx.quick ? 8 : 30;
      try {
        for (const op of OPS) {
          for (let i = 0; i < 3; i++) await time(api, op.argv(i));
          await time(kubectl, op.argv(0));
          const viaApi: number[] = [];
          const viaKubectl: number[] = [];
          for (let i = 0; i < apiRuns; i++) viaApi.push(await time(api, op.argv(i)));
          for (let i = 0; i < kubectlRuns; i++) viaKubectl.push(await time(kubectl, op.argv(i)));
          const a = f.measure(`${op.label}: API executor`, viaApi);
          const k = f.measure(`${op.label}: kubectl executor`, viaKubectl);
          ctx.log(`  ${op.label}: api p50 ${a.p50.toFixed(2)} ms p95 ${a.p95.toFixed(2)} ms; kubectl p50 ${k.p50.toFixed(1)} ms`);
          f.row({ label: `${op.label}, API executor p50`, value: a.p50, unit: "ms", target: { op: "<=", value: op.write ? 20 : 10 } });
          f.row({ label: `${op.label}, API executor p95`, value: a.p95, unit: "ms" });
          f.row({ label: `${op.label}, kubectl executor p50`, value: k.p50, unit: "ms" });
          f.row({ label: `${op.label}, speed-up (kubectl p50 / API p50)`, value: k.p50 / a.p50, unit: "×", target: { op: ">=", value: 10 } });
        }
      } finally {
        api.close();
      }
      // The floor for a restart: the same GET and PATCH sent raw over a keep-alive connection (the sandbox's own time).
      const raw = await rawRestarts(sandbox, ctx.quick ? 40 : 200);
      const r = f.measure("rollout restart: the same two requests sent raw", raw);
      f.row({ label: "rollout restart, raw GET+PATCH p50 (server floor)", value: r.p50, unit: "ms" });
      f.note("Wall time of Executor.run(argv) in this process, warm (discovery cached, connection kept alive); the kubectl executor spawns the kubectl binary the dispatcher would pick.");
      f.note("The sandbox answers a write before its controllers act; they run in the background, one pass per event-loop turn, and what they still owe is settled before the next request is served, so a write's time here may include passes left from the previous write (the same on both sides); `scale --dry-run=server` is the same round trips without that work.");
      return f.result();
    } finally {
      await sandbox.close();
      ws.close();
    }
  },
};
