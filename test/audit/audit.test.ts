import assert from "node:assert/strict";
import fs, { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it, mock } from "node:test";
import { AuditWriteError, openAuditLog, type AuditRecord } from "../../src/audit/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-audit-"));
after(() => rmSync(root, { recursive: true, force: true }));

function record(i: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    ts: new Date(0).toISOString(),
    operationId: `op-${i}`,
    kind: "exec",
    request: { intent: "get", resource: "pods", namespace: "default" },
    argv: ["kubectl", "get", "pods", "-n", "default"],
    status: "ok",
    exitCode: 0,
    durationMs: 12.5,
    ...extra,
  };
}

function linesOf(path: string): string[] {
  return readFileSync(path, "utf8").split("\n").filter((l) => l !== "");
}

describe("audit log", () => {
  it("creates parent folders and a 0600 file, one JSON object per line", async () => {
    const path = join(root, "a", "b", "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 1 << 20, retain: 2 });
    await log.append(record(1));
    await log.close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(linesOf(path)[0] as string), record(1));
  });

  it("keeps exactly one whole line per append under 1,000 concurrent appends", async () => {
    const path = join(root, "concurrent", "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 10 << 20, retain: 5 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(record(i))));
    await log.close();
    const ids = linesOf(path).map((l) => (JSON.parse(l) as AuditRecord).operationId);
    assert.equal(ids.length, 1000);
    assert.equal(new Set(ids).size, 1000);
  });

  it("writes lines appended in one turn with a single write, in call order", async () => {
    const path = join(root, "group", "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 10 << 20, retain: 1 });
    const writes = mock.method(fs, "writeSync");
    syncBuiltinESMExports();
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(record(i))));
      assert.equal(writes.mock.callCount(), 1);
    } finally {
      writes.mock.restore();
      syncBuiltinESMExports();
    }
    await log.close();
    assert.deepEqual(
      linesOf(path).map((l) => (JSON.parse(l) as AuditRecord).operationId),
      Array.from({ length: 200 }, (_, i) => `op-${i}`),
    );
  });

  it("resolves an append only once its line is in the file", async () => {
    const path = join(root, "durable", "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 10 << 20, retain: 1 });
    const seen = await Promise.all(
      Array.from({ length: 50 }, (_, i) => log.append(record(i)).then(() => readFileSync(path, "utf8").includes(`"op-${i}"`))),
    );
    await log.close();
    assert.ok(seen.every(Boolean));
  });

  it("rotates by size without losing or splitting a line", async () => {
    const dir = join(root, "rotate");
    const path = join(dir, "audit.jsonl");
    const maxBytes = 4096;
    const log = await openAuditLog({ path, maxBytes, retain: 1000 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => log.append(record(i))));
    await log.close();
    const files = readdirSync(dir).filter((f) => f.startsWith("audit.jsonl"));
    assert.ok(files.length > 10, `expected many rotated files, got ${files.length}`);
    const ids = new Set<string>();
    for (const file of files) {
      assert.ok(statSync(join(dir, file)).size <= maxBytes, `${file} is over maxBytes`);
      for (const line of linesOf(join(dir, file))) ids.add((JSON.parse(line) as AuditRecord).operationId);
    }
    assert.equal(ids.size, 1000);
    // The newest lines are in the live file, the oldest in the highest-numbered one.
    const live = linesOf(path).map((l) => (JSON.parse(l) as AuditRecord).operationId);
    assert.ok(live.includes("op-999"));
    assert.ok(linesOf(join(dir, `audit.jsonl.${files.length - 1}`)).some((l) => l.includes('"op-0"')));
  });

  it("keeps only `retain` rotated files", async () => {
    const dir = join(root, "retain");
    const path = join(dir, "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 300, retain: 2 });
    for (let i = 0; i < 20; i++) await log.append(record(i));
    await log.close();
    assert.deepEqual(readdirSync(dir).sort(), ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2", "audit.mutations.jsonl"]);
    assert.ok(linesOf(path).some((l) => l.includes('"op-19"')));
  });

  // Renaming over a file deletes it, which for a large, freshly written file costs milliseconds on the event loop.
  for (const retain of [0, 1, 3]) {
    it(`rotation (retain ${retain}) renames nothing over a file but the expired one, which close() sees deleted`, async () => {
      const dir = join(root, `expired-${retain}`);
      const path = join(dir, "audit.jsonl");
      mkdirSync(dir, { recursive: true });
      // A deletion that never ran (the process ended first): the next rotation replaces it.
      writeFileSync(`${path}.expired`, "left behind\n");
      const log = await openAuditLog({ path, maxBytes: 300, retain });
      const rename = fs.renameSync;
      const overwritten: string[] = [];
      const renames = mock.method(fs, "renameSync", (from: fs.PathLike, to: fs.PathLike) => {
        if (String(to) !== `${path}.expired` && fs.existsSync(to)) overwritten.push(String(to));
        rename(from, to);
      });
      syncBuiltinESMExports();
      try {
        for (let i = 0; i < 20; i++) await log.append(record(i));
      } finally {
        renames.mock.restore();
        syncBuiltinESMExports();
      }
      assert.ok(renames.mock.callCount() > 0, "it rotated");
      assert.deepEqual(overwritten, [], "renamed over a retained file");
      await log.close();
      const kept = Array.from({ length: retain }, (_, i) => `audit.jsonl.${i + 1}`);
      assert.deepEqual(readdirSync(dir).sort(), ["audit.jsonl", ...kept, "audit.mutations.jsonl"].sort());
      assert.ok(linesOf(path).some((l) => l.includes('"op-19"')));
    });
  }

  it("rejects with AuditWriteError when the write fails", async () => {
    // /dev/full accepts open() and fails every write with ENOSPC, even for root.
    const log = await openAuditLog({ path: "/dev/full", maxBytes: 1024, retain: 1, mutations: { path: join(root, "full", "m.jsonl") } });
    await assert.rejects(log.append(record(1)), (e: unknown) => e instanceof AuditWriteError && /ENOSPC/.test(e.message));
    await assert.rejects(log.assertWritable(), /ENOSPC/);
    await assert.rejects(log.append(record(2)), AuditWriteError);
    const waiting = Array.from({ length: 20 }, (_, i) => log.append(record(i)));
    const settled = await Promise.allSettled(waiting);
    assert.ok(settled.every((s) => s.status === "rejected" && s.reason instanceof AuditWriteError), "every waiting caller is rejected");
    await log.close();
  });

  it("follows the path when the file is deleted or moved away", async () => {
    const dir = join(root, "moved");
    const path = join(dir, "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 1 << 20, retain: 1 });
    await log.append(record(1));
    unlinkSync(path);
    await log.append(record(2));
    renameSync(path, join(dir, "elsewhere.jsonl"));
    await log.append(record(3));
    await log.close();
    assert.deepEqual(linesOf(path).map((l) => (JSON.parse(l) as AuditRecord).operationId), ["op-3"]);
    assert.equal(linesOf(join(dir, "elsewhere.jsonl")).length, 1);
  });

  it("assertWritable passes on a healthy log and fails once its folder is gone or the log closed", async () => {
    const dir = join(root, "assert");
    const log = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    await log.assertWritable();
    rmSync(dir, { recursive: true });
    await assert.rejects(log.assertWritable(), (e: unknown) => e instanceof AuditWriteError && /ENOENT/.test(e.message));
    await assert.rejects(log.append(record(1)), AuditWriteError);
    await log.close();
    await assert.rejects(log.assertWritable(), /closed/);
  });

  it("rejects when its folder is read-only", { skip: process.getuid?.() === 0 ? "root ignores file permissions" : false }, async () => {
    const dir = join(root, "readonly");
    mkdirSync(dir, { mode: 0o500 });
    await assert.rejects(openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1024, retain: 1 }), /EACCES/);
  });

  it("rejects with AuditWriteError when the file cannot be opened", async () => {
    const blocker = join(root, "not-a-dir");
    writeFileSync(blocker, "");
    await assert.rejects(openAuditLog({ path: join(blocker, "audit.jsonl"), maxBytes: 1024, retain: 1 }), (e: unknown) => {
      return e instanceof AuditWriteError && e.message.includes(blocker) && /ENOTDIR|EEXIST/.test(e.message);
    });
  });

  it("rejects appends after close", async () => {
    const log = await openAuditLog({ path: join(root, "closed", "audit.jsonl"), maxBytes: 1024, retain: 1 });
    await log.close();
    await assert.rejects(log.append(record(1)), /closed/);
  });

  it("redacts secrets before writing", async () => {
    const path = join(root, "redact", "audit.jsonl");
    const log = await openAuditLog({ path, maxBytes: 1 << 20, retain: 1 });
    await log.append(
      record(1, {
        argv: ["kubectl", "get", "pods", "--token", "s3cr3t-token", "--password=hunter2"],
        request: { params: { apiKey: "sk-live-123" }, goal: "use Bearer abcdefghijklmnop" },
        plan: { kind: "Secret", data: { password: "aHVudGVyMg==" } },
        error: "failed: client-key-data: LS0tLS1CRUdJTg==",
      }),
    );
    await log.close();
    const text = readFileSync(path, "utf8");
    for (const secret of ["s3cr3t-token", "hunter2", "sk-live-123", "abcdefghijklmnop", "aHVudGVyMg==", "LS0tLS1CRUdJTg=="]) {
      assert.ok(!text.includes(secret), `${secret} leaked into the audit log`);
    }
    const line = JSON.parse(text) as AuditRecord;
    assert.deepEqual(line.argv, ["kubectl", "get", "pods", "--token", "***REDACTED***", "--password=***REDACTED***"]);
    assert.equal(line.operationId, "op-1");
  });

  it("validates its options", async () => {
    await assert.rejects(openAuditLog({ path: join(root, "x.jsonl"), maxBytes: 0, retain: 1 }), RangeError);
    await assert.rejects(openAuditLog({ path: join(root, "x.jsonl"), maxBytes: 10, retain: -1 }), RangeError);
  });
});
