/**
 * Resident memory of a runtime serving structured plans, measured in its own process after a full GC
 * (run with --expose-gc). argv: <plans> <compiled module root, e.g. dist>. rag-k8s is imported from the
 * compiled JavaScript, as installed users run it, after a first checkpoint that has nothing of it loaded.
 * Prints one JSON line: the checkpoints.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as ConfigModule from "../../src/config/index.js";
import type * as RuntimeModule from "../../src/core/runtime.js";
import { STRUCTURED_REQUESTS } from "../requests.js";

interface Checkpoint {
  readonly label: string;
  readonly plans: number;
  readonly rss: number;
  readonly heapUsed: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with node --expose-gc");

function checkpoint(label: string, plans: number): Checkpoint {
  // Two passes: the first can leave finalizers whose memory the second frees.
  gc?.();
  gc?.();
  const usage = process.memoryUsage();
  return { label, plans, rss: usage.rss, heapUsed: usage.heapUsed };
}

const total = Number(process.argv[2] ?? "10000");
const root = resolve(process.argv[3] ?? "dist");
const points: Checkpoint[] = [checkpoint("before loading rag-k8s", 0)];
const { loadConfig } = (await import(pathToFileURL(join(root, "config", "index.js")).href)) as typeof ConfigModule;
const { createRagK8s } = (await import(pathToFileURL(join(root, "core", "runtime.js")).href)) as typeof RuntimeModule;
const dir = mkdtempSync(join(tmpdir(), "rag-k8s-bench-memory-"));
const env = { PATH: process.env["PATH"] ?? "", HOME: dir };
const { config } = loadConfig({ cwd: dir, env, overrides: { audit: { path: join(dir, "audit.jsonl") } } });
const runtime = await createRagK8s({ config, sandbox: "never", env, onWarning: () => {} });
points.push(checkpoint("runtime idle", 0));
let done = 0;
for (const target of [1_000, total, 2 * total]) {
  for (; done < target; done++) await runtime.plan(STRUCTURED_REQUESTS[done % STRUCTURED_REQUESTS.length]);
  points.push(checkpoint(`after ${target} plans`, target));
}
await runtime.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify(points)}\n`);
