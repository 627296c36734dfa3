import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { REASON, bundledPolicyDir, loadPolicy, tokenize, validateCommand } from "../../src/policy/index.js";
import type { Policy, Validation } from "../../src/policy/index.js";
import { CASES, LONGEST } from "./table-cases.js";
import type { Case } from "./table-cases.js";

const policy = loadPolicy();

function explain(verdict: Validation): string {
  return `${verdict.decision} risk=${verdict.risk} ${verdict.reasons.map((r) => `${r.code}: ${r.message}`).join(" | ")}`;
}

function check(row: Case, verdict: Validation): void {
  const label = `${JSON.stringify(row.command)} → ${explain(verdict)}`;
  assert.equal(verdict.decision, row.decision, label);
  if (row.decision === "deny") {
    assert.equal(verdict.reasons[0]?.code, row.code, label);
    assert.deepEqual(verdict.argv, [], `a denied command has no argv: ${label}`);
    if (row.suggestion !== undefined) assert.equal(verdict.suggestions[0], row.suggestion, label);
    return;
  }
  assert.equal(verdict.risk, row.risk, label);
  const tokens = tokenize(row.command);
  assert.ok(tokens.ok, label);
  assert.deepEqual(verdict.argv, tokens.tokens, `the argv that may run is the command's tokens: ${label}`);
  const codes = verdict.reasons.map((r) => r.code);
  assert.deepEqual(codes, row.decision === "confirm" ? [REASON.NEEDS_CONFIRMATION] : [], label);
}

test("the table has at least 220 distinct commands", () => {
  const keys = CASES.map((c) => `${c.namespace ?? ""}\u0000${c.command}`);
  assert.ok(CASES.length >= 220, `only ${CASES.length} cases`);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], "duplicate rows");
});

test("every reason code the engine can give appears in the table", () => {
  const used = new Set(CASES.flatMap((c) => (c.code ? [c.code] : c.decision === "confirm" ? [REASON.NEEDS_CONFIRMATION] : [])));
  // Tested below: inputs too long to list, and a policy variant that refuses -A.
  const elsewhere = new Set<string>([REASON.INPUT_TOO_LONG, REASON.ALL_NAMESPACES_NOT_ALLOWED]);
  const missing = Object.values(REASON).filter((code) => !elsewhere.has(code) && !used.has(code));
  assert.deepEqual(missing, []);
});

const sections = new Map<string, Case[]>();
for (const row of CASES) sections.set(row.section, [...(sections.get(row.section) ?? []), row]);
for (const [name, rows] of sections) {
  describe(name, () => {
    for (const row of rows) {
      const title = row.namespace ? `${row.command} (request for ${row.namespace})` : row.command;
      test(JSON.stringify(title).slice(1, -1), () => {
        check(row, validateCommand(row.command, policy, row.namespace ? { namespace: row.namespace } : {}));
      });
    }
  });
}

describe("input length", () => {
  test("a command of exactly the maximum length is read", () => {
    check({ section: "", command: LONGEST, decision: "allow", risk: "none" }, validateCommand(LONGEST, policy));
  });
  test("one character more is refused before it is read", () => {
    const verdict = validateCommand(`${LONGEST} `, policy);
    assert.equal(verdict.decision, "deny");
    assert.equal(verdict.reasons[0]?.code, REASON.INPUT_TOO_LONG);
  });
  test("a 1 MB command is refused", () => {
    const huge = `kubectl get pods -n dev -l ${"a".repeat(1024 * 1024)}`;
    const verdict = validateCommand(huge, policy);
    assert.equal(verdict.decision, "deny");
    assert.equal(verdict.reasons[0]?.code, REASON.INPUT_TOO_LONG);
  });
});

/** A copy of the bundled policy folder with one setting changed, loaded. */
function variant(from: string, to: string): Policy {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-policy-variant-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(bundledPolicyDir(), dir, { recursive: true });
  const changed = readdirSync(dir).filter((file) => {
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(from)) return false;
    writeFileSync(join(dir, file), text.replace(from, to));
    return true;
  });
  assert.equal(changed.length, 1, `"${from}" must appear in exactly one bundled policy file`);
  return loadPolicy(dir);
}

function expect(policyUnderTest: Policy, command: string, decision: Validation["decision"], expected: string): void {
  const verdict = validateCommand(command, policyUnderTest);
  assert.equal(verdict.decision, decision, explain(verdict));
  if (decision === "deny") assert.equal(verdict.reasons[0]?.code, expected, explain(verdict));
  else assert.equal(verdict.risk, expected, explain(verdict));
}

describe("a policy that allows listing secrets (secrets.allowGet)", () => {
  const lenient = variant("allowGet: false", "allowGet: true");
  const rows: readonly [string, Validation["decision"], string][] = [
    ["kubectl get secrets -n dev", "allow", "none"],
    ["kubectl get secret db -n dev", "allow", "none"],
    ["kubectl get secret db -n dev -o yaml", "deny", REASON.SECRET_OUTPUT],
    ["kubectl get secrets -n dev -o jsonpath={.items[*].data}", "deny", REASON.SECRET_OUTPUT],
    ["kubectl describe secret db -n dev", "deny", REASON.SECRET_READ],
    ["kubectl delete secret db -n dev", "deny", REASON.SECRET_READ],
  ];
  for (const [command, decision, expected] of rows) test(command, () => expect(lenient, command, decision, expected));
  test("the bundled policy refuses the same listing", () => expect(policy, "kubectl get secrets -n dev", "deny", REASON.SECRET_READ));
});

describe("a policy without all-namespace reads (allNamespacesReads: false)", () => {
  const strict = variant("allNamespacesReads: true", "allNamespacesReads: false");
  test("-A is refused", () => expect(strict, "kubectl get pods -A", "deny", REASON.ALL_NAMESPACES_NOT_ALLOWED));
  test("--all-namespaces is refused", () => expect(strict, "kubectl events --all-namespaces", "deny", REASON.ALL_NAMESPACES_NOT_ALLOWED));
  test("one namespace is still fine", () => expect(strict, "kubectl get pods -n dev", "allow", "none"));
  test("the bundled policy allows the same read", () => expect(policy, "kubectl get pods -A", "allow", "none"));
});
