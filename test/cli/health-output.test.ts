import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, it } from "node:test";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(ROOT, "src", "interfaces", "cli", "main.ts");
const home = mkdtempSync(join(tmpdir(), "rag-k8s-cli-health-"));
after(() => rmSync(home, { recursive: true, force: true }));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

let runs = 0;

/** The real CLI against the one-shot sandbox; stdout is a pipe, so nothing counts as a terminal. */
function cli(args: readonly string[]): Promise<Run> {
  const env = { PATH: process.env["PATH"] ?? "", HOME: home, RAGK8S_AUDIT_PATH: join(home, `audit-${++runs}.jsonl`), KUBECACHEDIR: join(home, "kube-cache"), NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", MAIN, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: 90_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const LOGS = ["exec", "--intent", "logs", "--resource", "pod", "-n", "prod", "--name", "api-5f7c8d-abcde"];

describe("CLI: health, and how exec output reaches a person", () => {
  it("health -A --json prints the report; health -n NS prints its text", async () => {
    const [all, shop] = await Promise.all([cli(["health", "-A", "--json"]), cli(["health", "-n", "shop"])]);
    assert.equal(all.code, 0, all.stderr);
    const report = JSON.parse(all.stdout) as { scope: string; findings: unknown[]; tokens: number; budgetTokens: number };
    assert.equal(report.scope, "all namespaces");
    assert.ok(report.findings.length > 0 && report.tokens <= report.budgetTokens);
    assert.equal(shop.code, 0, shop.stderr);
    assert.match(shop.stdout, /^Health of namespace shop: /);
    assert.match(shop.stdout, /Pod shop\/web-0: CrashLoopBackOff/);
  });

  it("refuses a scope that is missing, doubled or not a namespace name with exit 2", async () => {
    const runs = await Promise.all([cli(["health"]), cli(["health", "-n", "shop", "-A"]), cli(["health", "-n", "shop;id"]), cli(["health", "-A", "--budget", "5"])]);
    for (const run of runs) assert.equal(run.code, 2, `${run.stdout}${run.stderr}`);
  });

  it("--stream shows the output as it comes and then the result; --json never streams; --max-output caps", async () => {
    const [streamed, json] = await Promise.all([cli([...LOGS, "--stream"]), cli([...LOGS, "--json", "--stream", "--max-output", "150"])]);
    assert.equal(streamed.code, 0, streamed.stderr);
    const response = JSON.parse(json.stdout) as { stdout: string; steps: { stdoutOmitted: unknown }[] };
    // Logs keep their tail when cut: the last line is one the stream and the final result both show.
    const lastLine = response.stdout.trimEnd().split("\n").filter((l) => !l.startsWith("…")).at(-1) ?? "";
    assert.ok(lastLine.length > 0 && !lastLine.startsWith("…"), response.stdout);
    assert.ok(streamed.stdout.indexOf(lastLine) < streamed.stdout.lastIndexOf(lastLine), `the log arrives live and again in the result:\n${streamed.stdout}`);
    assert.ok(response.stdout.length <= 150, "--max-output caps the step's output");
    assert.notEqual(response.steps[0]?.stdoutOmitted, null, "the cut is counted");
  });
});
