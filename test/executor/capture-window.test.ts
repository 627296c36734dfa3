import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createExecutor } from "../../src/executor/index.js";
import type { ExecutorOptions } from "../../src/executor/index.js";

const sha256 = (s: string): string => `sha256:${createHash("sha256").update(s).digest("hex")}`;
const executor = (extra: Partial<ExecutorOptions> = {}) =>
  createExecutor({ binaries: { node: process.execPath }, env: { PATH: "/usr/bin:/bin" }, concurrency: 2, timeoutMs: 10_000, ...extra });

/** A log of `n` numbered lines, printed by a child process in many writes. */
const LOG = (n: number) => ["node", "-e", `for (let i = 0; i < ${n}; i++) process.stdout.write("line " + i + " " + "x".repeat(40) + "\\n")`];
const logText = (n: number) => Array.from({ length: n }, (_, i) => `line ${i} ${"x".repeat(40)}\n`).join("");

describe("the stdout window and budget", () => {
  it("shapes after the process ends: the budget keeps the kind's part, the digest covers everything", async () => {
    const r = await executor({ maxStdoutChars: 500 }).run(LOG(5000), {});
    // node -e output reads as plain text: its head is kept.
    assert.equal(r.stdoutKind, "text");
    assert.ok(r.stdout.length <= 500);
    assert.ok(r.stdout.startsWith("line 0 "));
    assert.match(r.stdout, /\n… output cut: [\d,]+ of [\d,]+ characters shown; narrow the request$/);
    assert.equal(r.truncated.stdout, true);
    assert.equal(r.stdoutOmitted?.unit, "characters");
    assert.equal(r.stdoutDigest, sha256(logText(5000)));
  });

  it("without a budget keeps it all when it fits the window", async () => {
    const r = await executor({ maxStdoutChars: 500 }).run(LOG(2000), { budgetChars: Number.POSITIVE_INFINITY });
    assert.equal(r.stdout, logText(2000));
    assert.deepEqual([r.truncated.stdout, r.stdoutOmitted], [false, null]);
  });

  it("without a budget marks the middle a small window could not keep, at whole lines", async () => {
    const r = await executor({ stdoutWindowChars: 10_000 }).run(LOG(2000), { budgetChars: Number.POSITIVE_INFINITY });
    const lines = r.stdout.split("\n");
    assert.equal(lines[0], `line 0 ${"x".repeat(40)}`);
    assert.equal(lines.at(-2), `line 1999 ${"x".repeat(40)}`);
    const gap = lines.findIndex((l) => l.startsWith("… "));
    assert.match(lines[gap] ?? "", /^… [\d,]+ characters in the middle of the output were not kept$/);
    assert.ok(lines.every((l, i) => i === gap || l === "" || /^line \d+ x{40}$/.test(l)), "no partial lines either side of the gap");
    assert.equal(r.truncated.stdout, true);
    const kept = lines.filter((l) => l.startsWith("line ")).reduce((n, l) => n + l.length + 1, 0);
    assert.equal(r.stdoutOmitted?.count, logText(2000).length - kept, "every character is shown or counted");
  });

  it("a budget with a window overflow still says the middle was not kept", async () => {
    const r = await executor({ stdoutWindowChars: 4_000, maxStdoutChars: 1_000 }).run(LOG(2000), {});
    assert.ok(r.stdout.length <= 1_000);
    assert.match(r.stdout, /… [\d,]+ characters in the middle of the output were not kept$/);
  });

  it("per-run budgets and windows are validated like the options", async () => {
    const ex = executor();
    await assert.rejects(ex.run(LOG(1), { budgetChars: 0 }), RangeError);
    await assert.rejects(ex.run(LOG(1), { windowChars: 1.5 }), RangeError);
    assert.throws(() => executor({ stdoutWindowChars: -1 }), RangeError);
  });
});
