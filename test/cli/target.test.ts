/**
 * The target is resolved once and shown: with a ~/.kube/config the README's first example runs there and says so;
 * conflicting or dangling target flags are one-line errors (exit 2 usage, exit 1 environment) before kubectl runs.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { startSandbox } from "../../src/sandbox/index.js";
import type { Sandbox } from "../../src/sandbox/index.js";

const MAIN = fileURLToPath(new URL("../../src/interfaces/cli/main.ts", import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(home: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { PATH: process.env["PATH"] ?? "", HOME: home, NO_COLOR: "1", RAGK8S_AUDIT_PATH: join(home, "audit.jsonl"), KUBECACHEDIR: join(home, "kube-cache") };
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), MAIN, ...args], { cwd: home, env, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the target on the command line", () => {
  let sandbox: Sandbox;
  let withKube: string;
  let empty: string;
  before(async () => {
    sandbox = await startSandbox();
    withKube = mkdtempSync(join(tmpdir(), "rag-k8s-target-"));
    empty = mkdtempSync(join(tmpdir(), "rag-k8s-target-empty-"));
    mkdirSync(join(withKube, ".kube"));
    await sandbox.writeKubeconfig(join(withKube, ".kube", "config"), { name: "prod-eu" });
  });
  after(async () => {
    await sandbox.close();
    rmSync(withKube, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  test("the README's first example runs against ~/.kube/config and prints that context, in text, JSON and the audit line", async () => {
    const example = ["exec", "--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "web"];
    // One after the other: two restarts of one deployment at once may conflict on the server.
    const text = await cli(withKube, example);
    const json = await cli(withKube, ["--json", ...example]);
    assert.equal(text.code, 0, `${text.stdout}\n${text.stderr}`);
    assert.equal(json.code, 0, `${json.stdout}\n${json.stderr}`);
    assert.ok(text.stdout.includes(`target    context prod-eu @ ${sandbox.url} (from ~/.kube/config)`), text.stdout);
    assert.doesNotMatch(text.stdout, /one-shot/);
    assert.deepEqual((JSON.parse(json.stdout) as { target: unknown }).target, { kind: "cluster", context: "prod-eu", server: sandbox.url });
    const lines = readFileSync(join(withKube, "audit.jsonl"), "utf8").trim().split("\n");
    for (const line of lines) assert.deepEqual((JSON.parse(line) as { target: unknown }).target, { kind: "cluster", context: "prod-eu", server: sandbox.url });
  });

  test("conflicting or dangling target flags: exit 2 (usage) or 1 (environment), one clean line, nothing run", async () => {
    const [contextAlone, both, missing] = await Promise.all([
      cli(empty, ["--context", "prod-eu", "run", "--", "kubectl", "get", "pods", "-A"]),
      cli(empty, ["--sandbox", "--kubeconfig", join(withKube, ".kube", "config"), "run", "--", "kubectl", "get", "pods", "-A"]),
      cli(empty, ["--kubeconfig", join(empty, "nope"), "run", "--", "kubectl", "get", "pods", "-A"]),
    ]);
    assert.equal(contextAlone.code, 2, contextAlone.stderr);
    assert.match(contextAlone.stderr, /needs a kubeconfig/);
    assert.equal(both.code, 2, both.stderr);
    assert.match(both.stderr, /--sandbox and --kubeconfig/);
    assert.equal(missing.code, 1, missing.stderr);
    assert.equal(missing.stderr.trim().split("\n").length, 1, missing.stderr);
    assert.match(missing.stderr, /kubeconfig not found/);
    assert.doesNotMatch(missing.stderr, /memcache/);
  });

  test("run and exec --command: an allowed read runs there; hostile commands exit 4 and nothing reaches the cluster", async () => {
    const read = await cli(withKube, ["run", "--", "kubectl", "get", "pods", "-n", "staging", "-o", "name"]);
    assert.equal(read.code, 0, read.stderr);
    assert.match(read.stdout, /pod\/web-/);
    const before = sandbox.requests.length;
    const hostile = await Promise.all([
      cli(withKube, ["run", "--", "kubectl", "get", "pods", "-A", ";", "rm", "-rf", "/"]),
      cli(withKube, ["run", "--", "kubectl", "get", "pods", "--kubeconfig", "/tmp/evil"]),
      cli(withKube, ["exec", "--command", "kubectl get secret db -n prod -o jsonpath={.data}"]),
      cli(withKube, ["exec", "--command", "kubectl get pods -n staging $(id)"]),
      cli(withKube, ["--json", "exec", "--command", "kubectl config view --raw"]),
    ]);
    for (const run of hostile) assert.equal(run.code, 4, `${run.stdout}\n${run.stderr}`);
    assert.equal((JSON.parse(hostile[4]?.stdout ?? "{}") as { status: string }).status, "denied");
    assert.equal(sandbox.requests.length, before, "no hostile command reached the cluster");
  });

  test("config show names the effective kubeconfig and context and where they came from", async () => {
    const shown = await cli(withKube, ["config", "show"]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, new RegExp(`target    context prod-eu @ ${sandbox.url.replace(/[.]/g, "\\.")} \\(from ~/\\.kube/config\\)`));
    assert.match(shown.stdout, /kubeconfig .*\.kube\/config/);
  });
});
