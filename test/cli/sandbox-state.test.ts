import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { after, describe, test } from "node:test";
import { resolveTarget, runningSandbox } from "../../src/target/index.js";
import { MAIN, ROOT, cli, expectExit, freshHome } from "./harness.js";

const fresh = freshHome("sandbox-state");
after(fresh.dispose);

interface Started {
  readonly url: string;
  readonly kubeconfig: string;
  readonly pid: number;
}

/** `rag-k8s sandbox --json` as a child; resolves with what it printed once it is listening. */
function startSandboxProcess(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; started: Started; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "sandbox", "--json"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      try {
        resolve({ child, started: JSON.parse(stdout) as Started, exited });
      } catch {
        // not the whole JSON document yet
      }
    });
    void exited.then((code) => reject(new Error(`rag-k8s sandbox exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
  });
}

describe("a long-running `rag-k8s sandbox` keeps state between commands", () => {
  test("it records itself (kubeconfig in the state folder), commands keep its state, and it forgets itself on SIGTERM", async () => {
    const env = fresh.env();
    const { child, started, exited } = await startSandboxProcess(env);
    try {
      assert.equal(started.pid, child.pid);
      assert.ok(started.kubeconfig.startsWith(`${fresh.home}/.local/state/rag-k8s/sandbox/`), started.kubeconfig);
      assert.match(readFileSync(started.kubeconfig, "utf8"), new RegExp(started.url.replaceAll(".", "\\.")));

      // What later commands see: the record, and the target resolution that prefers it over a one-shot sandbox.
      const record = runningSandbox({ HOME: fresh.home });
      assert.deepEqual(record && { pid: record.pid, url: record.url, kubeconfig: record.kubeconfig }, started);
      const target = resolveTarget({ env: { HOME: fresh.home } });
      assert.ok(target.ok && target.target.kind === "sandbox" && target.target.mode === "running");
      assert.equal(target.target.kubeconfig, started.kubeconfig);

      // Two separate CLI processes with no target given: both use the running sandbox, the second sees what the first changed.
      const scale = await cli(["exec", "--intent", "scale", "--resource", "deployment", "-n", "staging", "--name", "web", "--replicas", "7", "--confirm", "--json"], env);
      expectExit(scale, 0);
      const scaled = JSON.parse(scale.stdout) as { status: string; target: { kind: string } };
      assert.equal(scaled.status, "succeeded");
      assert.equal(scaled.target.kind, "sandbox");
      const describe_ = await cli(["exec", "--intent", "describe", "--resource", "deployment", "-n", "staging", "--name", "web", "--json"], env);
      expectExit(describe_, 0);
      assert.match((JSON.parse(describe_.stdout) as { stdout: string }).stdout, /Replicas:\s+7 desired/);
    } finally {
      child.kill("SIGTERM");
    }
    assert.equal(await exited, 0);
    assert.equal(runningSandbox({ HOME: fresh.home }), null, "the record is gone");
    assert.equal(existsSync(started.kubeconfig), false, "its kubeconfig is removed with it");
  });
});
