/**
 * The memory probe's child, as JavaScript source run with `node --expose-gc --input-type=module -e`: the
 * child must not load tsx (its loader alone adds ~35 MB of RSS), so it imports rag-k8s from the compiled
 * dist/ as installed users run it. argv after the script: <dist dir> <checkpoint plan counts, JSON> <requests, JSON>.
 * Prints one JSON line: checkpoints of process.memoryUsage() after two full GCs each.
 */
export const MEMORY_CHILD_SOURCE = `
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, targetsJson, requestsJson] = process.argv.slice(1);
const targets = JSON.parse(targetsJson);
const requests = JSON.parse(requestsJson);
function checkpoint(label, plans) {
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { label, plans, rss, heapUsed };
}
const points = [checkpoint("before loading rag-k8s", 0)];
const { loadConfig } = await import(pathToFileURL(join(root, "config", "index.js")).href);
const { createRagK8s } = await import(pathToFileURL(join(root, "app", "runtime.js")).href);
const dir = mkdtempSync(join(tmpdir(), "rag-k8s-bench-memory-"));
const env = { PATH: process.env.PATH ?? "", HOME: dir };
const { config } = loadConfig({ cwd: dir, env, overrides: { audit: { path: join(dir, "audit.jsonl") } } });
const runtime = await createRagK8s({ config, sandbox: "never", env, onWarning: () => {} });
points.push(checkpoint("runtime idle", 0));
let done = 0;
for (const target of targets) {
  for (; done < target; done++) await runtime.plan(requests[done % requests.length]);
  points.push(checkpoint("after " + target + " plans", target));
}
await runtime.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(JSON.stringify(points) + "\\n");
`;
