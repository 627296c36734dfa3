import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs, { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it, mock } from "node:test";
import { fileURLToPath } from "node:url";
import { AuditWriteError, defaultMutationsPath, openAuditLog, verifyAudit, type IntentRecord } from "../../src/audit/index.js";
import { expiredSegments, type Segment, type SegmentSummary } from "../../src/audit/segments.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-mutations-"));
after(() => rmSync(root, { recursive: true, force: true }));
const DAY = 86_400_000;

function intent(id: string, extra: Partial<IntentRecord> = {}): IntentRecord {
  return {
    operationId: id,
    kind: "exec",
    request: { intent: "restart", resource: "deployment", name: "web", namespace: "shop" },
    target: "sandbox",
    argv: [["kubectl", "rollout", "restart", "deployment/web", "-n", "shop"]],
    decision: "allow",
    risk: "low",
    dryRun: false,
    ...extra,
  };
}

function lines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

let dirs = 0;
function freshDir(): string {
  return join(root, `d${dirs++}`);
}

describe("mutation stream", () => {
  it("writes intent and result lines beside the general stream, in the documented format, redacted", async () => {
    const dir = freshDir();
    const now = Date.parse("2026-01-02T03:04:05.000Z");
    const log = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1, now: () => now });
    assert.equal(log.mutationsPath, join(dir, "audit.mutations.jsonl"));
    assert.equal(defaultMutationsPath("/var/log/rag-k8s"), "/var/log/rag-k8s.mutations");
    await log.intent(intent("op-1", { argv: [["kubectl", "get", "pods", "--token", "s3cr3t"]], approval: "token", planner: "card" }));
    const step = { code: 0, durationMs: 40, stdoutDigest: "ab", stdout: "password: hunter2", argv: ["kubectl"] };
    await log.result({ operationId: "op-1", status: "succeeded", steps: [step] });
    await log.close();
    const [first, second] = lines(log.mutationsPath);
    assert.deepEqual(Object.keys(first ?? {}).slice(0, 6), ["seq", "writer", "v", "record", "ts", "pid"]);
    assert.equal(first?.["record"], "intent");
    assert.equal(first?.["ts"], "2026-01-02T03:04:05.000Z");
    assert.deepEqual(first?.["argv"], [["kubectl", "get", "pods", "--token", "***REDACTED***"]]);
    assert.equal(first?.["approval"], "token");
    assert.equal(second?.["record"], "result");
    assert.equal(second?.["seq"], 2);
    assert.deepEqual(second?.["steps"], [{ code: 0, durationMs: 40, stdoutDigest: "ab" }], "only the outcome fields of a step are kept, never its output");
    assert.equal(second?.["writer"], first?.["writer"]);
    assert.equal(statSync(log.mutationsPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(log.path, "utf8"), "", "intents do not go to the general stream");
  });

  it("a record cannot overwrite the fixed fields", async () => {
    const log = await openAuditLog({ path: join(freshDir(), "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    await log.intent({ ...intent("op-1"), record: "result", seq: 99, v: 7 } as IntentRecord);
    await log.close();
    const [line] = lines(log.mutationsPath);
    assert.equal(line?.["record"], "intent");
    assert.equal(line?.["seq"], 1);
    assert.equal(line?.["v"], 1);
  });

  it("resolves an intent only after fdatasync returned, batching concurrent intents into few syncs", async () => {
    const log = await openAuditLog({ path: join(freshDir(), "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    let synced = 0;
    const original = fs.fdatasync;
    const syncs = mock.method(fs, "fdatasync", (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      original(fd, (error) => {
        synced++;
        callback(error);
      });
    });
    syncBuiltinESMExports();
    try {
      const resolvedAfterSync = await Promise.all(Array.from({ length: 100 }, (_, i) => log.intent(intent(`op-${i}`)).then(() => synced > 0)));
      assert.ok(resolvedAfterSync.every(Boolean), "no intent resolved before its fdatasync");
      assert.ok(syncs.mock.callCount() <= 2, `100 concurrent intents took ${syncs.mock.callCount()} fdatasync calls`);
    } finally {
      syncs.mock.restore();
      syncBuiltinESMExports();
    }
    await log.close();
    assert.deepEqual(
      lines(log.mutationsPath).map((l) => l["seq"]),
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
  });

  it("rejects an intent whose fdatasync fails, and assertWritable then fails too", async () => {
    const log = await openAuditLog({ path: join(freshDir(), "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    const syncs = mock.method(fs, "fdatasync", (_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      callback(Object.assign(new Error("EIO: i/o error"), { code: "EIO" }));
    });
    syncBuiltinESMExports();
    try {
      await assert.rejects(log.intent(intent("op-1")), (e: unknown) => e instanceof AuditWriteError && /fdatasync failed.*EIO/.test(e.message));
      await assert.rejects(log.assertWritable(), /EIO/);
    } finally {
      syncs.mock.restore();
      syncBuiltinESMExports();
    }
    await log.intent(intent("op-2"));
    await log.assertWritable();
    await log.close();
  });

  it("rejects intents it cannot write (ENOSPC) and ones without an argv", async () => {
    const log = await openAuditLog({ path: join(freshDir(), "audit.jsonl"), maxBytes: 1024, retain: 1, mutations: { path: "/dev/full" } });
    await assert.rejects(log.intent(intent("op-1")), (e: unknown) => e instanceof AuditWriteError && /ENOSPC/.test(e.message));
    await assert.rejects(log.assertWritable(), /ENOSPC/);
    await assert.rejects(log.intent(intent("op-2", { argv: [] })), /non-empty argv/);
    await assert.rejects(log.intent(intent("op-3", { argv: [[]] })), /non-empty argv/);
    await assert.rejects(log.intent(intent("")), /operationId/);
    await assert.rejects(log.result({ operationId: "", status: "failed", steps: [] }), /operationId/);
    await log.close();
    await assert.rejects(log.intent(intent("op-4")), /closed/);
  });

  it("refuses a mutation path equal to the general one, and a device as the general path without a mutation path", async () => {
    const path = join(freshDir(), "audit.jsonl");
    await assert.rejects(openAuditLog({ path, maxBytes: 1024, retain: 1, mutations: { path } }), /its own file/);
    await assert.rejects(openAuditLog({ path: "/dev/null", maxBytes: 1024, retain: 1 }), /give mutations.path/);
    await assert.rejects(openAuditLog({ path, maxBytes: 1024, retain: 1, mutations: { keepDays: -1 } }), RangeError);
    await assert.rejects(openAuditLog({ path, maxBytes: 1024, retain: 1, mutations: { segmentBytes: 0 } }), RangeError);
  });

  it("26,000 plan records with 2,000-character goals cannot rotate out a mutation record", async () => {
    const dir = freshDir();
    const log = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 5 });
    await log.intent(intent("restart-web"));
    await log.result({ operationId: "restart-web", status: "succeeded", steps: [{ code: 0 }] });
    const goal = "g".repeat(2000);
    for (let batch = 0; batch < 26; batch++) {
      await Promise.all(
        Array.from({ length: 1000 }, (_, i) =>
          log.append({ ts: new Date().toISOString(), operationId: `plan-${batch}-${i}`, kind: "plan", request: { goal }, status: "planned" }),
        ),
      );
    }
    await log.close();
    const general = readdirSync(dir).filter((f) => f.startsWith("audit.jsonl"));
    assert.equal(general.length, 6, "the flood did rotate the general stream to its limit");
    const report = verifyAudit(log.mutationsPath);
    assert.equal(report.ok, true);
    assert.equal(report.intents, 1);
    assert.equal(lines(log.mutationsPath)[0]?.["operationId"], "restart-web");
  });

  it("SIGKILL during a 500-mutation flood leaves every started mutation with an intent record", { timeout: 60_000 }, async () => {
    const dir = freshDir();
    const path = join(dir, "audit.jsonl");
    const script = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", script, path, "500", "16"], { stdio: ["ignore", "pipe", "inherit"] });
    const started: string[] = [];
    let buffered = "";
    let finished = false;
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffered += chunk;
      const parts = buffered.split("\n");
      buffered = parts.pop() ?? "";
      for (const line of parts) {
        if (line === "done") finished = true;
        else started.push(line.replace(/^started /, ""));
      }
      if (started.length >= 200 && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const signal = await exited;
    assert.equal(finished, false, "the child was killed before it finished");
    assert.equal(signal, "SIGKILL");
    assert.ok(started.length >= 200);
    const report = verifyAudit(`${dir}/audit.mutations.jsonl`);
    const intents = new Set(
      report.files.flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .filter((l) => l.includes('"record":"intent"'))
          .map((l) => (JSON.parse(l) as { operationId: string }).operationId),
      ),
    );
    const missing = started.filter((id) => !intents.has(id));
    assert.deepEqual(missing, [], "every started mutation has its intent");
    // The operations in flight at the kill (at most one per worker) are exactly the orphaned intents.
    assert.equal(report.orphanIntents.length, report.intents - report.results);
    assert.ok(report.orphanIntents.length <= 16, `${report.orphanIntents.length} orphans from 16 workers`);
    assert.ok(report.malformed.length <= 1, "at most the line being written at the kill is torn");
    assert.deepEqual(report.gaps, []);
  });

  it("a log opened after a writer died mid-line starts on a new line; verify names the fragment", async () => {
    const dir = freshDir();
    const mutations = join(dir, "audit.mutations.jsonl");
    const first = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    await first.intent(intent("op-1"));
    await first.result({ operationId: "op-1", status: "succeeded", steps: [{ code: 0 }] });
    await first.close();
    appendFileSync(mutations, '{"seq":3,"writer":"00000000000000');
    const second = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1 });
    await second.intent(intent("op-2"));
    await second.close();
    const report = verifyAudit(mutations);
    assert.deepEqual(
      report.malformed.map((m) => [m.line, m.reason]),
      [[3, "not JSON (a torn or edited line)"]],
    );
    assert.deepEqual(
      report.orphanIntents.map((o) => [o.operationId, o.line]),
      [["op-2", 4]],
    );
    assert.equal(report.ok, false);
  });

  it("rolls over into numbered segments and keeps every line when two logs share the stream", async () => {
    const dir = freshDir();
    const options = { path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1, mutations: { segmentBytes: 2048, keepCount: 100_000 } };
    const [a, b] = [await openAuditLog(options), await openAuditLog(options)];
    // Two writers at a time, so both meet rollovers the other made.
    for (let i = 0; i < 150; i += 2) {
      await Promise.all(
        [a, b].map(async (log, j) => {
          await log?.intent(intent(`op-${i + j}`));
          await log?.result({ operationId: `op-${i + j}`, status: "succeeded", steps: [{ code: 0 }] });
        }),
      );
    }
    await a?.close();
    await b?.close();
    const report = verifyAudit(join(dir, "audit.mutations.jsonl"));
    assert.ok(report.files.length > 10, `expected many segments, got ${report.files.length}`);
    assert.deepEqual([report.ok, report.intents, report.results], [true, 150, 150]);
    for (const file of report.files) assert.ok(statSync(file).size <= 2048 + 600, `${file} grew far past segmentBytes`);
  });

  it("keeps writing to the live file when a rollover fails (no hard links)", async () => {
    const dir = freshDir();
    const log = await openAuditLog({ path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1, mutations: { segmentBytes: 512 } });
    const links = mock.method(fs, "linkSync", () => {
      throw Object.assign(new Error("EPERM: operation not permitted, link"), { code: "EPERM" });
    });
    syncBuiltinESMExports();
    try {
      for (let i = 0; i < 10; i++) await log.intent(intent(`op-${i}`));
      assert.ok(links.mock.callCount() > 0);
    } finally {
      links.mock.restore();
      syncBuiltinESMExports();
    }
    await log.close();
    assert.deepEqual(readdirSync(dir).sort(), ["audit.jsonl", "audit.mutations.jsonl"]);
    assert.equal(verifyAudit(log.mutationsPath).intents, 10);
  });

  it("prunes a segment only when it is both older than keepDays and followed by keepCount mutations", async () => {
    const dir = freshDir();
    let now = Date.parse("2026-01-01T00:00:00Z");
    const options = { path: join(dir, "audit.jsonl"), maxBytes: 1 << 20, retain: 1, now: () => now, mutations: { segmentBytes: 1024, keepDays: 7, keepCount: 10 } };
    const log = await openAuditLog(options);
    for (let i = 0; i < 40; i++) {
      await log.intent(intent(`old-${i}`));
      await log.result({ operationId: `old-${i}`, status: "succeeded", steps: [{ code: 0 }] });
    }
    const before = verifyAudit(log.mutationsPath);
    assert.equal(before.intents, 40, "everything is younger than keepDays: nothing pruned");
    now += 8 * DAY;
    for (let i = 0; i < 5; i++) await log.intent(intent(`new-${i}`)).then(() => log.result({ operationId: `new-${i}`, status: "succeeded", steps: [] }));
    const mid = verifyAudit(log.mutationsPath);
    assert.ok(mid.intents >= 10, `old records beyond the newest 10 may go, the newest 10 stay (kept ${mid.intents})`);
    assert.ok(mid.intents < 45, "old records past the count were pruned");
    const ids = mid.files.flatMap((f) => lines(f).filter((l) => l["record"] === "intent").map((l) => l["operationId"]));
    for (let i = 35; i < 40; i++) assert.ok(ids.includes(`old-${i}`), `old-${i} is among the newest 10 mutations`);
    await log.close();
    assert.deepEqual(mid.orphanIntents, []);
    assert.deepEqual(mid.gaps, []);
  });
});

describe("expiredSegments", () => {
  const now = 100 * DAY;
  const seg = (n: number): Segment => ({ path: `s.${n}`, number: n });
  // Five segments, oldest first, two mutations each; ages in days.
  const cases: { name: string; ages: number[]; live: number; keepDays: number; keepCount: number; expired: number[] }[] = [
    { name: "young segments stay however many mutations follow", ages: [6, 5, 4, 3, 2], live: 100, keepDays: 7, keepCount: 0, expired: [] },
    { name: "old segments inside the newest keepCount stay", ages: [50, 40, 30, 20, 10], live: 0, keepDays: 7, keepCount: 100, expired: [] },
    { name: "old and beyond the count: pruned, oldest first", ages: [50, 40, 30, 20, 10], live: 0, keepDays: 7, keepCount: 4, expired: [1, 2, 3] },
    { name: "count includes the live file", ages: [50, 40, 30, 20, 10], live: 4, keepDays: 7, keepCount: 4, expired: [1, 2, 3, 4, 5] },
    { name: "age boundary: a segment inside keepDays stays", ages: [50, 8, 6.5, 6, 5], live: 10, keepDays: 7, keepCount: 0, expired: [1, 2] },
    { name: "keepDays 0 and keepCount 0 keep nothing closed", ages: [3, 2, 1, 1, 1], live: 0, keepDays: 0, keepCount: 0, expired: [1, 2, 3, 4, 5] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const summaries = new Map<string, SegmentSummary>(c.ages.map((age, i) => [`s.${i + 1}`, { mutations: 2, newestMs: now - age * DAY - 1 }]));
      const segments = c.ages.map((_, i) => seg(i + 1));
      const expired = expiredSegments(segments, (s) => summaries.get(s.path) as SegmentSummary, c.live, c, now);
      assert.deepEqual(expired.map((s) => s.number), c.expired);
    });
  }
});

describe("verifyAudit", () => {
  function stream(contents: string): string {
    const dir = freshDir();
    fs.mkdirSync(dir);
    const path = join(dir, "m.jsonl");
    writeFileSync(path, contents);
    return path;
  }
  const w = "0123456789abcdef";
  const base = { v: 1, ts: "2026-01-01T00:00:00.000Z", pid: 1, writer: w };
  const intentLine = (seq: number, id: string) => JSON.stringify({ seq, ...base, record: "intent", operationId: id, target: "sandbox", argv: [["kubectl", "cordon", "n1"]], decision: "allow" });
  const resultLine = (seq: number, id: string) => JSON.stringify({ seq, ...base, record: "result", operationId: id, status: "succeeded", steps: [] });

  it("a missing stream is empty and clean", () => {
    const report = verifyAudit(join(root, "nothing-here", "m.jsonl"));
    assert.deepEqual([report.ok, report.files.length, report.intents], [true, 0, 0]);
  });

  it("reports orphans, gaps, malformed lines and unmatched results with their places", () => {
    const path = stream(
      [
        intentLine(1, "a"),
        resultLine(2, "a"),
        intentLine(3, "b"),
        // seq 4 went missing
        resultLine(5, "zzz"),
        "{not json",
        JSON.stringify({ seq: 6, ...base, record: "intent", operationId: "c", target: "sandbox", argv: [], decision: "allow" }),
        JSON.stringify({ seq: 7, ...base, record: "intent", operationId: "d", target: "sandbox", argv: [["kubectl"]], decision: "allow", ts: "yesterday" }),
        intentLine(8, "a"),
        "",
      ].join("\n"),
    );
    const report = verifyAudit(path);
    assert.equal(report.ok, false);
    assert.deepEqual(report.orphanIntents.map((o) => [o.operationId, o.line]), [["b", 3], ["a", 8]]);
    // Malformed lines do not count as written: after seq 5, seq 8 means 6 and 7 are missing.
    assert.deepEqual(report.gaps.map((g) => [g.line, g.expected, g.found]), [[4, 4, 5], [8, 6, 8]]);
    assert.deepEqual(report.malformed.map((m) => m.line), [5, 6, 7]);
    assert.match(report.malformed[0]?.reason ?? "", /^not JSON/);
    assert.match(report.malformed[1]?.reason ?? "", /^argv/);
    assert.match(report.malformed[2]?.reason ?? "", /^ts/);
    assert.deepEqual(report.unmatchedResults.map((u) => u.operationId), ["zzz"]);
  });

  it("a repeated operation id is closed by the next result, oldest first", () => {
    const path = stream([intentLine(1, "x"), resultLine(2, "x"), intentLine(3, "x"), resultLine(4, "x"), ""].join("\n"));
    const report = verifyAudit(path);
    assert.deepEqual([report.ok, report.intents, report.results, report.orphanIntents.length], [true, 2, 2, 0]);
  });

  it("reads segments oldest first, then the live file", () => {
    const path = stream(`${resultLine(3, "s")}\n`);
    writeFileSync(`${path}.2`, `${intentLine(2, "s")}\n`);
    writeFileSync(`${path}.1`, `${intentLine(1, "r")}\n${""}`);
    utimesSync(`${path}.1`, new Date(0), new Date(0));
    const report = verifyAudit(path);
    assert.deepEqual(report.files, [`${path}.1`, `${path}.2`, path]);
    assert.deepEqual(report.orphanIntents.map((o) => o.operationId), ["r"]);
    assert.deepEqual(report.gaps, []);
  });
});
