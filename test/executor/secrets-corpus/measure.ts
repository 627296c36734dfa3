// Microseconds per redact() call on typical 4 KB outputs (not a test: timing belongs to measurements).
// `node --import tsx test/executor/secrets-corpus/measure.ts [path/to/redact.ts]` — the argument measures
// another copy of the redactor (e.g. the previous version checked out elsewhere) on the same inputs.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const here = import.meta.dirname;
const modulePath = resolve(process.argv[2] ?? join(here, "..", "..", "..", "src", "executor", "redact.ts"));
const { redact } = (await import(pathToFileURL(modulePath).href)) as { redact: (text: string) => string };
const { redactValue } = (await import(pathToFileURL(join(dirname(modulePath), "redact-value.ts")).href)) as { redactValue: (value: unknown) => unknown };

// The shape of an audit line for a read through the HTTP face (what the hot path redacts per request).
const AUDIT_RECORD = {
  ts: "2026-12-04T10:00:00.000Z",
  operationId: "op_7f3a9c2e4b1d",
  face: "http",
  request: { goal: "show the last 50 log lines of payments-api in prod", namespace: "prod", dryRun: false },
  plan: { planner: "card", cardId: "logs-deployment", summary: "logs of deployment/payments-api in prod", commands: ["kubectl logs deployment/payments-api -n prod --tail 50"] },
  argv: ["kubectl", "logs", "deployment/payments-api", "-n", "prod", "--tail", "50"],
  validation: { decision: "allow", risk: "low", readOnly: true, reasons: [] },
  result: { code: 0, stdoutDigest: "sha256:9b2a4c1d7e3f5a6b8c0d2e4f6a8b0c2d", duration: 48.2, truncated: false },
  timings: { retrieveMs: 0.4, planMs: 0.1, validateMs: 0.02, execMs: 48.2, totalMs: 49.1 },
};

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

function measure(name: string, size: string, run: () => unknown): void {
  for (let i = 0; i < 200; i++) run();
  const rounds: number[] = [];
  for (let r = 0; r < 15; r++) {
    const n = 200;
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run();
    rounds.push(Number(process.hrtime.bigint() - start) / 1000 / n);
  }
  console.log(`${name.padEnd(36)} ${size.padStart(7)}  ${stats(rounds)}`);
}

console.log(`redactor: ${modulePath}`);
for (const [name, text] of Object.entries(samples)) measure(name, `${text.length} B`, () => redact(text));
measure("redactValue(audit record of a read)", `${JSON.stringify(AUDIT_RECORD).length} B`, () => redactValue(AUDIT_RECORD));
