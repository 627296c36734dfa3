import { join } from "node:path";
import { createRagK8s } from "../../src/core/runtime.js";
import type { ExecResponse } from "../../src/core/response.js";
import { locateExecutable } from "../../src/executor/index.js";
import { startSandbox } from "../../src/sandbox/index.js";
import { Findings } from "../section.js";
import type { Section } from "../section.js";
import { timeSpawn } from "../spawn-timing.js";
import { openWorkspace } from "../workspace.js";

const REQUEST = { intent: "describe", resource: "deployment", namespace: "staging", name: "web" } as const;

function checkSucceeded(response: ExecResponse): readonly string[] {
  const argv = response.steps?.[0]?.argv;
  if (response.status !== "succeeded" || argv === undefined) {
    throw new Error(`runtime.exec(${JSON.stringify(REQUEST)}) ended "${response.status}": ${response.message ?? ""}`);
  }
  return argv;
}

/** Figure 8: what rag-k8s adds over running the same kubectl command directly, against the in-memory sandbox. */
export const overheadSection: Section = {
  id: "overhead",
  title: "rag-k8s overhead over bare kubectl (sandbox)",
  async run(ctx) {
    const f = new Findings();
    const ws = openWorkspace("overhead");
    const sandboxStart = performance.now();
    const sandbox = await startSandbox();
    const sandboxMs = performance.now() - sandboxStart;
    try {
      const kubeconfig = join(ws.dir, "kubeconfig");
      await sandbox.writeKubeconfig(kubeconfig);
      const runtime = await createRagK8s({ config: ws.config({ kube: { kubeconfig } }), sandbox: "never", env: ws.env, onWarning: () => {} });
      try {
        // The direct command is exactly the argv rag-k8s ran, with the environment its executor passes to kubectl.
        const argv = checkSucceeded(await runtime.exec(REQUEST));
        const kubectl = locateExecutable(argv[0] as string, ws.env.PATH);
        if (kubectl === undefined) throw new Error(`${argv[0]} is not on PATH`);
        const env = { ...ws.env, KUBECONFIG: kubeconfig };
        const direct: number[] = [];
        const through: number[] = [];
        const pipelineOwn: number[] = [];
        const runDirect = async () => {
          const timing = await timeSpawn(kubectl, argv.slice(1), env);
          if (timing.code !== 0) throw new Error(`${argv.join(" ")} exited ${timing.code}: ${timing.stderr.slice(0, 300)}`);
          direct.push(timing.exitMs);
        };
        const runThrough = async () => {
          const start = performance.now();
          const response = await runtime.exec(REQUEST);
          through.push(performance.now() - start);
          checkSucceeded(response);
          pipelineOwn.push(response.timings.totalMs - response.timings.execMs);
        };
        await runDirect();
        const rounds = ctx.quick ? 20 : 40;
        // Alternating which goes first cancels any order effect (warm discovery cache, page cache).
        for (let round = 0; round < rounds; round++) {
          if (round % 2 === 0) {
            await runDirect();
            await runThrough();
          } else {
            await runThrough();
            await runDirect();
          }
        }
        direct.shift();
        const d = f.measure(`kubectl ${argv.slice(1).join(" ")}, spawned directly`, direct);
        const t = f.measure(`runtime.exec(${JSON.stringify(REQUEST)})`, through);
        const own = f.measure("pipeline's own stages (timings.totalMs − execMs)", pipelineOwn);
        f.row({ label: "difference of medians (rag-k8s − direct)", value: t.p50 - d.p50, unit: "ms", target: { op: "<=", value: 2 } });
        f.row({ label: "direct kubectl p50 (baseline)", value: d.p50, unit: "ms" });
        f.row({ label: "through rag-k8s p50", value: t.p50, unit: "ms" });
        f.row({ label: "pipeline's own stages p50 (request parse, retrieve, plan, validate, audit)", value: own.p50, unit: "ms" });
        f.row({ label: "in-process sandbox start (startSandbox, incl. TLS certificate)", value: sandboxMs, unit: "ms" });
        f.note(
          `${rounds} interleaved rounds (order alternating) after one dropped warm-up each. Both paths spawn the same kubectl ` +
            "argv with the same environment against the same in-process sandbox, so the difference is rag-k8s's own work " +
            "(parse, plan, validate, spawn wrapper, output capture and redaction, audit line). The difference of two noisy " +
            "medians can come out negative; the pipeline's own stage timer is the direct measure.",
        );
      } finally {
        await runtime.close();
      }
    } finally {
      await sandbox.close();
      ws.close();
    }
    return f.result();
  },
};
