import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { openAuditLog, type AuditRecord } from "../../src/audit/index.js";
import { deepFreeze } from "../../src/core/errors.js";
import { redactValue } from "../../src/executor/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-audit-shared-"));
after(() => rmSync(root, { recursive: true, force: true }));

const linesOf = (path: string): string[] => readFileSync(path, "utf8").split("\n").filter((l) => l !== "");

/** A plan a memo shares between operations: frozen, with a secret in it that must be masked in every line. */
const sharedPlan = deepFreeze({ command: "kubectl create secret generic db --from-literal=password=hunter2", steps: [["kubectl", "get", "pods"]], planner: "template" });
const sharedRequest = deepFreeze({ kind: "structured", intent: "list", namespace: "prod", params: { token: "abc123def456" } });

/** Records whose lines must be exactly JSON.stringify(redactValue(record)), whatever is frozen or repeated. */
const ROWS: readonly { readonly name: string; readonly record: AuditRecord }[] = [
  { name: "plain record", record: { ts: "2026-01-01T00:00:00.000Z", operationId: "op-1", kind: "plan", request: { intent: "list" }, status: "planned" } },
  { name: "frozen plan and request", record: { ts: "2026-01-01T00:00:01.000Z", operationId: "op-2", kind: "plan", request: sharedRequest, plan: sharedPlan, status: "planned", timings: { totalMs: 0.1 } } },
  { name: "the same frozen parts again", record: { ts: "2026-01-01T00:00:02.000Z", operationId: "op-3", kind: "exec", request: sharedRequest, plan: sharedPlan, status: "succeeded", exitCode: 0 } },
  // The same frozen object under a field whose name is itself sensitive: redaction follows the field, not the cache.
  { name: "frozen value under another field", record: { ts: "2026-01-01T00:00:03.000Z", operationId: "op-4", kind: "plan", request: sharedRequest, error: "planned", status: "planned" } },
  { name: "a short string that is a secret under one field and not another", record: { ts: "t", operationId: "ghp_0123456789abcdefghijklmnopqrstuvwxyz", kind: "plan", request: {}, status: "ghp_0123456789abcdefghijklmnopqrstuvwxyz" } },
  { name: "undefined fields are left out", record: { ts: "t", operationId: "op-5", kind: "plan", request: {}, status: "planned", decision: undefined, exitCode: null } },
  // Times, UUIDs and all-number objects skip the redaction walk; the line must not change for it.
  { name: "an instant and a UUID, and timings", record: { ts: "2026-01-01T00:00:04.123Z", operationId: "0f8fad5b-d9cb-469f-a165-70867728950e", kind: "plan", request: {}, status: "planned", timings: { planMs: 0.01, totalMs: 1 } } },
  { name: "numbers under a credential-like name are masked", record: { ts: "t", operationId: "op-6", kind: "plan", request: {}, status: "planned", timings: { totalMs: 1, apiKey: 42 } } },
  { name: "an object with a string among numbers is walked", record: { ts: "t", operationId: "op-7", kind: "plan", request: {}, status: "planned", timings: { totalMs: 1, note: "password=hunter2" } as unknown as Record<string, number> } },
  { name: "a UUID or an instant under a credential-like field is masked", record: { ts: "t", operationId: "op-8", kind: "plan", request: {}, status: "planned", password: "0f8fad5b-d9cb-469f-a165-70867728950e", token: "2026-01-01T00:00:04Z" } as unknown as AuditRecord },
  { name: "a frozen value whose JSON is nothing is left out", record: { ts: "t", operationId: "op-9", kind: "plan", request: {}, plan: Object.freeze({ toJSON: () => undefined }), status: "planned", argv: [] } },
  { name: "instants without a fraction and with nine digits of one", record: { ts: "2026-01-01T00:00:04Z", operationId: "0f8fad5b-d9cb-469f-a165-70867728950e", kind: "plan", request: {}, status: "planned", error: "2026-01-01T00:00:04.123456789Z" } },
  { name: "almost instants and UUIDs (a bare dot, ten digits, dashes moved)", record: { ts: "2026-01-01T00:00:04.Z", operationId: "0f8fad5bd-9cb-469f-a165-70867728950e", kind: "plan", request: {}, status: "planned", error: "2026-01-01T00:00:04.1234567890Z" } },
  // UUID-shaped, 36 characters with the dashes in place, but one character that is no lower-case hex digit: it must be escaped and redacted as any string (a lone surrogate is escaped by JSON, and its low bits spell "0").
  ...['"', "\\", "\u00b1", "\u0131", "\u2028", "\udc30", "g", "/"].map((char) => ({
    name: `a UUID shape holding ${JSON.stringify(char)}`,
    record: { ts: "t", operationId: `0f8fad5b-d9cb-469f-a165-70867728950${char}`, kind: "plan", request: {}, status: "planned" } as AuditRecord,
  })),
  { name: "almost a UUID (upper case, too long) takes the general path", record: { ts: "2026-01-01T00:00:04.123Z-x", operationId: "0F8FAD5B-D9CB-469F-A165-70867728950E", kind: "plan", request: {}, status: "planned" } },
  // Runs of recurring fields (frozen parts and the statuses beside them) are remembered as one piece: every
  // way a run can differ from a remembered one must give its own text.
  ...RUN_VARIANTS(),
];

function RUN_VARIANTS(): { name: string; record: AuditRecord }[] {
  const target = deepFreeze({ kind: "kubeconfig", context: "prod" });
  const base = { ts: "2026-01-01T00:00:05.000Z", operationId: "0f8fad5b-d9cb-469f-a165-70867728950e" };
  const run = (status: string, extra: Record<string, unknown> = {}) =>
    ({ ...base, kind: "plan", target, request: sharedRequest, plan: sharedPlan, decision: "allow", risk: "low", argv: [], status, ...extra, timings: { totalMs: 0.5 } }) as AuditRecord;
  // More variants of one set of objects than a node keeps (8), so the oldest are dropped and rebuilt.
  const statuses = ["planned", "denied", "awaiting_confirmation", "needs_input", "failed", "succeeded", "dry_run", "unresolved", "planned-again", "denied"];
  return [
    ...statuses.map((status) => ({ name: `the same frozen parts, status ${status}`, record: run(status) })),
    { name: "the same frozen parts, another decision", record: run("planned", { decision: "confirm" }) },
    { name: "the same frozen parts, a left-out field inside the run", record: run("planned", { risk: undefined }) },
    { name: "the same frozen parts, a field that is a secret by its name", record: run("planned", { password: "planned" }) },
    { name: "the same frozen parts, a non-empty argv", record: run("planned", { argv: ["kubectl get pods"] }) },
    { name: "the same frozen parts in another order", record: { ...base, plan: sharedPlan, request: sharedRequest, target, kind: "plan", status: "planned" } as AuditRecord },
    { name: "a short run", record: { ...base, kind: "plan", target, request: sharedRequest, status: "planned" } as AuditRecord },
    { name: "the same values, one under another field name", record: { ...base, kind: "plan", target, request: sharedRequest, state: "planned" } as unknown as AuditRecord },
    { name: "the same frozen parts under other field names", record: { ...base, kind: "plan", target: sharedPlan, request: target, plan: sharedRequest, status: "planned" } as AuditRecord },
    { name: "one frozen part swapped for an equal copy", record: run("planned", { plan: deepFreeze(JSON.parse(JSON.stringify(sharedPlan)) as object) }) },
    { name: "one frozen part swapped for another", record: run("planned", { plan: deepFreeze({ command: "kubectl get pods", planner: "template" }) }) },
    { name: "an empty array with its own toJSON", record: run("planned", { argv: Object.assign([], { toJSON: () => ["kubectl get pods"] }) }) },
    { name: "a run with a boolean and null", record: run("planned", { dryRun: true, selector: null }) },
  ];
}

describe("general stream lines built from shared (frozen) parts", () => {
  it("are exactly the redacted record's JSON, in order, whatever is shared between lines", async () => {
    const path = join(root, "table.jsonl");
    const log = await openAuditLog({ path, maxBytes: 1 << 20, retain: 1 });
    // Twice over: the second time every frozen part, run and short string comes from the cache.
    for (const row of [...ROWS, ...ROWS]) await log.append(row.record);
    await log.close();
    const lines = linesOf(path);
    assert.equal(lines.length, ROWS.length * 2);
    [...ROWS, ...ROWS].forEach((row, i) => assert.equal(lines[i], JSON.stringify(redactValue(row.record)), row.name));
    assert.doesNotMatch(readFileSync(path, "utf8"), /hunter2|abc123def456|ghp_0123|"password":"0f8f|"token":"2026/, "secrets in shared parts are masked in every line");
  });

  it("keeps the order of lines appended in one turn across a rotation, multi-byte text counted in bytes", async () => {
    const path = join(root, "rotate.jsonl");
    const log = await openAuditLog({ path, maxBytes: 600, retain: 5 });
    const records = Array.from({ length: 12 }, (_, i) => ({ ts: "t", operationId: `op-${i}`, kind: "plan" as const, request: { goal: `namespace ${"é".repeat(40)} ${i}` }, status: "planned" }));
    await Promise.all(records.map((r) => log.append(r)));
    await log.close();
    const files = [5, 4, 3, 2, 1].map((n) => `${path}.${n}`).concat(path);
    const all = files.flatMap((file) => {
      try {
        return linesOf(file);
      } catch {
        return [];
      }
    });
    assert.deepEqual(all.map((line) => (JSON.parse(line) as { operationId: string }).operationId), records.map((r) => r.operationId));
    for (const file of files) {
      try {
        assert.ok(readFileSync(file).length <= 600, `${file} stays within maxBytes`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  });
});
