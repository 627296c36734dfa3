// Measures what the write-ahead audit and the approval tokens cost (not a test; prints a table):
//   node --import tsx test/audit/measure-costs.ts [folder]
// The folder defaults to a fresh one under the OS temp dir; pass one on the disk the audit log will use.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createApprovals } from "../../src/approval/index.js";
import { openAuditLog, type IntentRecord } from "../../src/audit/index.js";

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), "rag-k8s-measure-"));
const rows: [string, string][] = [];
function report(name: string, totalMs: number, count: number, extra = ""): void {
  rows.push([name, `${((totalMs * 1000) / count).toFixed(1)} µs/op${extra}`]);
}
async function timed(count: number, work: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < count; i++) await work(i);
  return performance.now() - start;
}

const intent = (i: number): IntentRecord => ({
  operationId: `op-${i}`,
  kind: "exec",
  request: { intent: "restart", resource: "deployment", name: "web", namespace: "shop", goal: "restart web in shop" },
  target: "sandbox",
  argv: [["kubectl", "rollout", "restart", "deployment/web", "-n", "shop"]],
  decision: "allow",
  risk: "low",
  dryRun: false,
});
const plan = (i: number) => ({ ts: new Date().toISOString(), operationId: `p-${i}`, kind: "plan" as const, request: intent(i).request, status: "planned" });

try {
  const log = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 64 << 20, retain: 1 });
  await timed(200, (i) => log.intent(intent(i))); // warm-up
  report("general append, awaited one by one (write, no fsync)", await timed(2000, (i) => log.append(plan(i))), 2000);
  const burst = performance.now();
  await Promise.all(Array.from({ length: 2000 }, (_, i) => log.append(plan(i))));
  report("general append, 2000 at once (group commit)", performance.now() - burst, 2000);

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const sequential = await timed(500, (i) => log.intent(intent(i)));
  delay.disable();
  report("intent, awaited one by one (write + fdatasync)", sequential, 500, `; event-loop delay max ${(delay.max / 1e6).toFixed(2)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(2)} ms`);
  const concurrent = performance.now();
  await Promise.all(Array.from({ length: 500 }, (_, i) => log.intent(intent(i))));
  report("intent, 500 at once (group commit, shared fdatasync)", performance.now() - concurrent, 500);
  const pairs = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async (_, w) => {
      for (let i = 0; i < 50; i++) {
        await log.intent(intent(w * 100 + i));
        await log.result({ operationId: `op-${w * 100 + i}`, status: "succeeded", steps: [{ code: 0 }] });
      }
    }),
  );
  report("intent+result pair, 16 concurrent workers", performance.now() - pairs, 800);
  await log.close();

  const binding = { argv: [["kubectl", "scale", "deployment/web", "--replicas=0", "-n", "shop"]], target: "sandbox", namespace: "shop" };
  for (const [label, usedDir] of [["memory used-set", null], ["used-token folder", join(dir, "used")]] as const) {
    const approvals = createApprovals({ secretPath: join(dir, "secret"), usedDir });
    approvals.issue(binding);
    const tokens: string[] = [];
    report(`token issue (${label})`, await timed(5000, () => tokens.push(approvals.issue(binding).token)), 5000);
    report(`token redeem (${label})`, await timed(5000, (i) => approvals.redeem(tokens[i] as string, binding)), 5000);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
