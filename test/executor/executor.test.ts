import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import {
  BinaryNotFoundError,
  createExecutor,
  ExecAbortedError,
  ExecutorError,
  ForbiddenBinaryError,
  InvalidArgvError,
  UnknownBinaryError,
  type ExecutorOptions,
} from "../../src/executor/index.js";

const PATH = "/usr/bin:/bin";
const sha256 = (s: string): string => `sha256:${createHash("sha256").update(s).digest("hex")}`;
const scratch = mkdtempSync(join(tmpdir(), "rag-k8s-executor-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

// Tests drive real processes through node scripts; product code never configures a shell.
function executor(extra: Partial<ExecutorOptions> = {}) {
  return createExecutor({
    binaries: { node: process.execPath, true: "true", kubectl: "kubectl-not-installed-here" },
    env: { PATH, ONLY_VAR: "1" },
    concurrency: 4,
    timeoutMs: 10_000,
    killGraceMs: 500,
    ...extra,
  });
}

/** argv running `code` in node; `args` arrive in process.argv after "--". */
const script = (code: string, ...args: string[]): string[] => ["node", "-e", code, "--", ...args];

/** A child that starts a grandchild in its own process group, writes its pid to `pidFile`, then waits. */
function parentOfSleeper(pidFile: string, ignoreTerm: boolean): string[] {
  const trap = ignoreTerm ? 'process.on("SIGTERM", () => {});' : "";
  const sleeper = `${trap} setInterval(() => {}, 1000);`;
  return script(
    `${trap}
     const c = require("node:child_process").spawn(process.execPath, ["-e", ${JSON.stringify(sleeper)}], { stdio: "ignore" });
     require("node:fs").writeFileSync(process.argv[1], String(c.pid));
     setInterval(() => {}, 1000);`,
    pidFile,
  );
}

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await sleep(25);
  assert.ok(check(), "condition not reached within 10 s");
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("executor", () => {
  it("refuses programs that are not configured, spawning nothing", async () => {
    const ex = executor();
    await assert.rejects(ex.run(["bash", "-c", "id"]), (e: unknown) => e instanceof UnknownBinaryError && /must be one of: node, true, kubectl/.test(e.message));
    await assert.rejects(ex.run(["/bin/sh", "-c", "id"]), UnknownBinaryError);
    await assert.rejects(ex.run(["constructor"]), UnknownBinaryError);
    assert.equal(ex.spawnCount, 0);
  });

  it("refuses shells and program launchers as configured binaries", () => {
    assert.throws(() => createExecutor({ binaries: { kubectl: "/bin/sh" }, env: { PATH }, concurrency: 1 }), ForbiddenBinaryError);
    assert.throws(() => createExecutor({ binaries: { kubectl: "bash" }, env: { PATH }, concurrency: 1 }), /kubectl" is configured as bash/);
    assert.throws(() => createExecutor({ binaries: { env: "/usr/bin/env" }, env: { PATH }, concurrency: 1 }), ForbiddenBinaryError);
  });

  it("names the missing binary and how to install it", async () => {
    const ex = executor();
    await assert.rejects(ex.run(["kubectl", "version"]), (e: unknown) => {
      assert.ok(e instanceof BinaryNotFoundError);
      assert.match(e.message, /kubectl not found .*kubectl-not-installed-here.*https:\/\/kubernetes\.io\/docs\/tasks\/tools\//);
      return true;
    });
    const flux = createExecutor({ binaries: { flux: "/nonexistent/flux" }, env: { PATH }, concurrency: 1 });
    await assert.rejects(flux.run(["flux", "get"]), /flux not found \(looked for at \/nonexistent\/flux\).*https:\/\/fluxcd\.io\/flux\/installation\//);
    assert.equal(ex.spawnCount + flux.spawnCount, 0);
  });

  it("tells which configured binaries are available", () => {
    const ex = executor();
    assert.equal(ex.available("node"), true);
    assert.equal(ex.available("true"), true);
    assert.equal(ex.available("kubectl"), false);
    assert.equal(ex.available("bash"), false, "not configured");
    assert.equal(ex.spawnCount, 0);
  });

  it("rejects malformed argv before doing anything", async () => {
    const ex = executor();
    await assert.rejects(ex.run([]), InvalidArgvError);
    await assert.rejects(ex.run(["node", "a\0b"]), InvalidArgvError);
    assert.equal(ex.spawnCount, 0);
  });

  it("gives the child only the configured environment", async () => {
    const result = await executor().run(script("process.stdout.write(JSON.stringify(process.env))"));
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), { ONLY_VAR: "1", PATH });
  });

  it("passes arguments verbatim, never through a shell", async () => {
    const args = ["$(id)", "; rm -rf /", "`x`", "a b", "*", "--help", "'\"", "$HOME", "a|b>c"];
    const result = await executor().run(script("process.stdout.write(JSON.stringify(process.argv.slice(1)))", ...args));
    assert.deepEqual(JSON.parse(result.stdout), args);
    assert.equal(result.timedOut, false);
    assert.equal(result.signal, null);
  });

  it("reports exit codes and stderr", async () => {
    const result = await executor().run(script('process.stderr.write("oops\\n"); process.exitCode = 3;'));
    assert.equal(result.code, 3);
    assert.equal(result.stderr, "oops\n");
    assert.equal(result.stderrDigest, sha256("oops\n"));
    assert.equal(result.stdoutDigest, sha256(""));
  });

  it("cuts output to its budget with a marker but counts and hashes all of it", async () => {
    const full = "é".repeat(100_000);
    const ex = executor({ maxStdoutChars: 4000, maxStderrChars: 10 });
    const result = await ex.run(script('process.stdout.write("é".repeat(100000)); process.stderr.write("😀".repeat(8))'));
    // The budget holds the kept head and the marker that says what was cut.
    assert.ok(result.stdout.length <= 4000);
    assert.match(result.stdout, /^é{3000,}\n… output cut: [\d,]+ of 100,000 characters shown/);
    assert.equal(result.stderr, "😀".repeat(5), "10 UTF-16 units hold five emoji, never half of one");
    assert.deepEqual(result.truncated, { stdout: true, stderr: true });
    assert.equal(result.stdoutBytes, Buffer.byteLength(full));
    assert.equal(result.stderrBytes, 32);
    assert.equal(result.stdoutDigest, sha256(full));
    assert.equal(result.stderrDigest, sha256("😀".repeat(8)));
  });

  it("redacts secrets in kept output; digests cover the raw bytes", async () => {
    const argv = script('process.stdout.write("password: hunter2\\n")');
    const result = await executor().run(argv);
    assert.equal(result.stdout, "password: ***REDACTED***\n");
    assert.equal(result.stdoutDigest, sha256("password: hunter2\n"));
    const raw = await executor({ redactOutput: false }).run(argv);
    assert.equal(raw.stdout, "password: hunter2\n");
  });

  it("kills the whole process group on timeout", async () => {
    const pidFile = join(scratch, "grandchild-1.pid");
    // Generous: the child must have started its grandchild before the timeout, even on a loaded machine.
    const result = await executor().run(parentOfSleeper(pidFile, false), { timeoutMs: 3000 });
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, "SIGTERM");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    assert.ok(grandchild > 0);
    await waitFor(() => !isAlive(grandchild));
  });

  it("escalates to SIGKILL for the whole group when SIGTERM is ignored", async () => {
    const pidFile = join(scratch, "grandchild-2.pid");
    const result = await executor({ killGraceMs: 200 }).run(parentOfSleeper(pidFile, true), { timeoutMs: 3000 });
    assert.equal(result.timedOut, true);
    assert.equal(result.signal, "SIGKILL");
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !isAlive(grandchild));
  });

  it("limits concurrency and lets queued requests be cancelled without spawning", async () => {
    const ex = executor({ concurrency: 2 });
    const controller = new AbortController();
    const runs = [1, 2, 3].map(() => ex.run(script("setInterval(() => {}, 1000)"), { signal: controller.signal }));
    await waitFor(() => ex.spawnCount === 2);
    await sleep(200);
    assert.equal(ex.spawnCount, 2);
    assert.equal(ex.inFlight, 3);
    controller.abort();
    const settled = await Promise.allSettled(runs);
    for (const s of settled) assert.ok(s.status === "rejected" && s.reason instanceof ExecAbortedError);
    const reasons = settled.map((s) => (s.status === "rejected" ? (s.reason as ExecAbortedError).result : undefined));
    assert.equal(reasons.filter((r) => r !== undefined).length, 2, "the two running commands report what they produced");
    assert.equal(ex.spawnCount, 2);
    assert.equal(ex.inFlight, 0);
  });

  it("spawns nothing for an already-aborted signal", async () => {
    const ex = executor();
    await assert.rejects(ex.run(["true"], { signal: AbortSignal.abort() }), ExecAbortedError);
    assert.equal(ex.spawnCount, 0);
  });

  it("drain() waits for in-flight work", async () => {
    const ex = executor({ concurrency: 1 });
    let done = 0;
    for (let i = 0; i < 3; i++) void ex.run(["true"]).then(() => done++);
    assert.equal(ex.inFlight, 3);
    await ex.drain();
    assert.equal(done, 3);
    assert.equal(ex.inFlight, 0);
    assert.equal(ex.spawnCount, 3);
  });

  it("turns a spawn failure into a typed error", async () => {
    const ex = executor();
    await assert.rejects(ex.run(["true", "x".repeat(200_000)]), (e: unknown) => e instanceof ExecutorError && /could not start/.test(e.message));
  });

  it("validates its options", () => {
    assert.throws(() => executor({ concurrency: 0 }), RangeError);
    assert.throws(() => executor({ timeoutMs: -1 }), RangeError);
  });
});
