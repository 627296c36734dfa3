// Measures what an agent receives against the sandbox: kubectl's raw output vs the output shaped to the
// default 4,000-character budget, Warning events kept, and the wall time of a health scan of all namespaces.
// Run: node --import tsx bench/output-budget.ts   (prints a Markdown table; not part of the timed bench)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createExecutor, EXECUTOR_DEFAULTS } from "../src/executor/index.js";
import { diagnose } from "../src/health/index.js";
import { countTokens } from "../src/tokens.js";
import { bundledPolicyDir, loadPolicy, quoteArgv, validateCommand } from "../src/policy/index.js";
import { startSandbox } from "../src/sandbox/index.js";

const COMMANDS: [string, string[]][] = [
  ["list pods (all namespaces)", ["kubectl", "get", "pods", "-A"]],
  ["list pods -o wide (all namespaces)", ["kubectl", "get", "pods", "-A", "-o", "wide"]],
  ["get deployments (all namespaces)", ["kubectl", "get", "deployments", "-A"]],
  ["get deployment checkout -o yaml", ["kubectl", "get", "deployment", "checkout", "-n", "prod", "-o", "yaml"]],
  ["describe deployment checkout", ["kubectl", "describe", "deployment", "checkout", "-n", "prod"]],
  ["describe node worker-2", ["kubectl", "describe", "node", "worker-2"]],
  ["events (all namespaces)", ["kubectl", "get", "events", "-A", "--sort-by=.lastTimestamp"]],
  ["events in prod", ["kubectl", "get", "events", "-n", "prod", "--sort-by=.lastTimestamp"]],
  ["logs of a crash-looping pod (previous)", ["kubectl", "logs", "api-5f7c8d-abcde", "-n", "prod", "--previous", "--tail=200"]],
  ["logs of the kube-proxy pods (by label)", ["kubectl", "logs", "-n", "kube-system", "-l", "k8s-app=kube-proxy", "--tail=200"]],
];

const warnings = (text: string): number => text.split("\n").filter((l) => /\sWarning\s/.test(l)).length;

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-output-budget-"));
const sandbox = await startSandbox();
try {
  const kubeconfig = join(dir, "kubeconfig");
  await sandbox.writeKubeconfig(kubeconfig);
  const executor = createExecutor({ binaries: { kubectl: "kubectl" }, env: { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECONFIG: kubeconfig, KUBECACHEDIR: join(dir, "cache") }, concurrency: 6 });
  console.log(`| question | command | raw chars | shaped chars (budget ${EXECUTOR_DEFAULTS.maxStdoutChars}) | ratio | Warning rows raw → kept |`);
  console.log("|---|---|---:|---:|---:|---:|");
  for (const [question, argv] of COMMANDS) {
    const raw = await executor.run(argv, { budgetChars: Number.POSITIVE_INFINITY });
    const shaped = await executor.run(argv);
    const ratio = raw.stdout.length > 0 ? (shaped.stdout.length / raw.stdout.length).toFixed(2) : "-";
    const w = warnings(raw.stdout) > 0 ? `${warnings(raw.stdout)} → ${warnings(shaped.stdout)}` : "-";
    console.log(`| ${question} | \`${argv.join(" ")}\` | ${raw.stdout.length} | ${shaped.stdout.length} | ${ratio} | ${w} |`);
  }

  const policy = loadPolicy(bundledPolicyDir());
  const read = async (argv: string[]) => {
    const verdict = validateCommand(quoteArgv(argv), policy);
    if (verdict.decision !== "allow" || !verdict.readOnly) throw new Error(`policy refused ${argv.join(" ")}`);
    const r = await executor.run(verdict.argv, { budgetChars: Number.POSITIVE_INFINITY, windowChars: 32 << 20 });
    return { code: r.code, stdout: r.stdout, stderr: r.stderr };
  };
  countTokens("load the tokenizer table once, as a long-running server has it");
  await diagnose(read, { allNamespaces: true });
  const times: number[] = [];
  let last;
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    last = await diagnose(read, { allNamespaces: true });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  console.log(`\nhealth -A: median ${times[5]?.toFixed(0)} ms, min ${times[0]?.toFixed(0)} ms, max ${times[9]?.toFixed(0)} ms over 10 scans (tokenizer loaded); ${last?.findings.length} findings, ${last?.tokens} tokens of ${last?.budgetTokens}`);
  await executor.drain();
} finally {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
}
