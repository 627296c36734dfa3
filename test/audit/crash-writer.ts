// Child process for the kill -9 test: runs `count` simulated mutations (intent → "started" → result)
// `parallel` at a time while flooding the general stream with plan records, until it is killed.
// "started <id>" goes to stdout with a synchronous write once intent() resolved: the parent treats
// every id it read as a mutation whose process had started.
import { writeSync } from "node:fs";
import { openAuditLog } from "../../src/audit/index.js";

const [path, countText, parallelText] = process.argv.slice(2);
const count = Number(countText);
const parallel = Number(parallelText);
const log = await openAuditLog({ path: path as string, maxBytes: 256 * 1024, retain: 2 });
const goal = "restart the web deployment ".repeat(75);

let flooding = true;
function flood(): void {
  if (!flooding) return;
  for (let i = 0; i < 20; i++) {
    void log.append({ ts: new Date().toISOString(), operationId: `plan-${i}`, kind: "plan", request: { goal }, status: "planned" });
  }
  setImmediate(flood);
}
flood();

let next = 0;
async function worker(): Promise<void> {
  while (next < count) {
    const operationId = `mut-${next++}`;
    const argv = [["kubectl", "rollout", "restart", `deployment/web-${operationId}`, "-n", "shop"]];
    await log.intent({ operationId, kind: "exec", request: { goal }, target: "sandbox", argv, decision: "allow", risk: "low", dryRun: false });
    writeSync(1, `started ${operationId}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1));
    await log.result({ operationId, status: "succeeded", steps: [{ code: 0, durationMs: 1 }] });
  }
}
await Promise.all(Array.from({ length: parallel }, worker));
flooding = false;
await log.close();
writeSync(1, "done\n");
