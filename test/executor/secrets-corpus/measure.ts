// Microseconds per redact() call on typical 4 KB outputs (not a test: timing belongs to measurements).
// `node --import tsx test/executor/secrets-corpus/measure.ts [path/to/redact.ts]` — the argument measures
// another copy of the redactor (e.g. the previous version checked out elsewhere) on the same inputs.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const here = import.meta.dirname;
const modulePath = resolve(process.argv[2] ?? join(here, "..", "..", "..", "src", "executor", "redact.ts"));
const { redact } = (await import(pathToFileURL(modulePath).href)) as { redact: (text: string) => string };

function first4k(file: string): string {
  const text = readFileSync(join(here, file), "utf8");
  return text.slice(0, text.lastIndexOf("\n", 4096) + 1);
}

const samples: Record<string, string> = {
  "4 KB table (get pods -A -o wide)": first4k("ordinary/get-pods-all.txt"),
  "4 KB yaml (get pods -o yaml)": first4k("ordinary/get-pods-prod.yaml"),
  "4 KB log (ordinary lines)": first4k("ordinary/logs-ordinary.txt"),
  "4 KB describe pod": first4k("ordinary/describe-pod-redis.txt"),
  "4 KB yaml with planted secrets": first4k("planted/get-deployment.yaml"),
  "4 KB log with planted secrets": first4k("planted/logs-worker.txt"),
};

// Best of 15 rounds and the median: on a shared machine the best round is the reproducible number.
function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return `best ${(sorted[0] as number).toFixed(1).padStart(7)} µs  median ${(sorted[Math.floor(sorted.length / 2)] as number).toFixed(1).padStart(7)} µs`;
}

console.log(`redactor: ${modulePath}`);
for (const [name, text] of Object.entries(samples)) {
  for (let i = 0; i < 200; i++) redact(text);
  const rounds: number[] = [];
  for (let r = 0; r < 15; r++) {
    const n = 200;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) redact(text);
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  console.log(`${name.padEnd(36)} ${String(text.length).padStart(5)} B  ${stats(rounds)}`);
}
