import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { REASON, bundledPolicyDir, loadPolicy, tokenize, validateCommand, withServerModes } from "../../src/policy/index.js";
import type { Policy, Validation } from "../../src/policy/index.js";
import { CASES, GENERIC_ROWS } from "./table/index.js";
import { LONGEST } from "./table/matrix.js";
import type { Case } from "./table/rows.js";

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

const withModes = new Map<string, Policy>();
function policyFor(row: Case): Policy {
  if (row.modes === undefined) return policy;
  const key = JSON.stringify(row.modes);
  const cached = withModes.get(key) ?? withServerModes(policy, row.modes);
  withModes.set(key, cached);
  return cached;
}

test("the table has at least 600 distinct rows, 300 of them generic commands", () => {
  const keys = CASES.map((c) => `${c.namespace ?? ""}\u0000${JSON.stringify(c.modes ?? {})}\u0000${c.command}`);
  assert.ok(CASES.length >= 600, `only ${CASES.length} rows`);
  assert.ok(GENERIC_ROWS.length >= 300, `only ${GENERIC_ROWS.length} generic rows`);
  assert.deepEqual(keys.filter((k, i) => keys.indexOf(k) !== i), [], "duplicate rows");
});

test("every reason code the engine can give appears in the table", () => {
  const used = new Set(CASES.flatMap((c) => (c.decision === "deny" ? [c.code] : c.decision === "confirm" ? [REASON.NEEDS_CONFIRMATION] : [])));
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
      const context = [row.namespace ? `request for ${row.namespace}` : "", row.modes ? `modes ${JSON.stringify(row.modes)}` : ""].filter(Boolean).join(", ");
      const title = context ? `${row.command} (${context})` : row.command;
      test(JSON.stringify(title).slice(1, -1), () => {
        check(row, validateCommand(row.command, policyFor(row), row.namespace ? { namespace: row.namespace } : {}));
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
    // A replacer function: in a replacement string, `$'` would mean "the text after the match".
    writeFileSync(join(dir, file), text.replace(from, () => to));
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

type VariantRow = readonly [command: string, decision: Validation["decision"], codeOrRisk: string];

function variantRows(title: string, from: string, to: string, rows: readonly VariantRow[], bundled: readonly VariantRow[]): void {
  describe(title, () => {
    const changed = variant(from, to);
    for (const [command, decision, expected] of rows) test(command, () => expect(changed, command, decision, expected));
    for (const [command, decision, expected] of bundled) test(`the bundled policy: ${command}`, () => expect(policy, command, decision, expected));
  });
}

variantRows(
  "a policy that refuses even listing secrets (secrets.allowGet: false)",
  "allowGet: true",
  "allowGet: false",
  [
    ["kubectl get secrets -n dev", "deny", REASON.SECRET_READ],
    ["kubectl get secret db -n dev -o name", "deny", REASON.SECRET_READ],
    ["kubectl get secret db -n dev -o yaml", "deny", REASON.SECRET_OUTPUT],
    ["kubectl get pods,secrets -n dev", "deny", REASON.SECRET_READ],
  ],
  [["kubectl get secrets -n dev", "allow", "none"]],
);

variantRows(
  "a policy without all-namespace reads (allNamespacesReads: false)",
  "allNamespacesReads: true",
  "allNamespacesReads: false",
  [
    ["kubectl get pods -A", "deny", REASON.ALL_NAMESPACES_NOT_ALLOWED],
    ["kubectl events --all-namespaces", "deny", REASON.ALL_NAMESPACES_NOT_ALLOWED],
    ["kubectl get pods -n dev", "allow", "none"],
  ],
  [["kubectl get pods -A", "allow", "none"]],
);

variantRows(
  "a policy that reads only the listed resources (anyKindReads: false)",
  "anyKindReads: true",
  "anyKindReads: false",
  [
    ["kubectl get certificates.cert-manager.io -n dev", "deny", REASON.RESOURCE_NOT_ALLOWED],
    ["kubectl get roles -n dev", "deny", REASON.RESOURCE_NOT_ALLOWED],
    ["kubectl get pods -n dev", "allow", "none"],
  ],
  [["kubectl get certificates.cert-manager.io -n dev", "allow", "none"]],
);

variantRows(
  "a policy with a production pattern (prodLikeNamespaces.pattern)",
  "  # pattern: '^(eu|us)-main$'",
  "  pattern: '^(eu|us)-main$'",
  [
    ["kubectl scale deployment/web -n eu-main --replicas=2", "deny", REASON.VERB_NOT_ALLOWED_IN_NAMESPACE],
    ["kubectl rollout restart deployment/web -n us-main", "confirm", "low"],
    ["kubectl scale deployment/web -n ap-main --replicas=2", "confirm", "medium"],
  ],
  [["kubectl scale deployment/web -n eu-main --replicas=2", "confirm", "medium"]],
);

variantRows(
  "a policy that allow-lists a ConfigMap field for bare output (fieldPaths)",
  "fieldPaths: []",
  "fieldPaths:\n  - resource: configmaps\n    path: .data.LOG_LEVEL\n  - resource: pods\n    path: \".spec.containers[*].env[?(@.name=='LOG_LEVEL')].value\"",
  [
    ["kubectl get cm app -n dev -o jsonpath={.data.LOG_LEVEL}", "allow", "none"],
    ["kubectl get cm app -n dev -o 'jsonpath={.data.LOG_LEVEL}{\"\\n\"}'", "allow", "none"],
    ["kubectl get cm -n dev -o 'jsonpath={range .items[*]}{.data.LOG_LEVEL}{end}'", "allow", "none"],
    ["kubectl get cm -n dev -o custom-columns=LEVEL:data.LOG_LEVEL", "allow", "none"],
    ["kubectl get cm -n dev -o \"jsonpath={.items[*].data['LOG_LEVEL']}\"", "allow", "none"],
    ["kubectl get cm app -n dev -o jsonpath={.data.PASSWORD}", "deny", REASON.BARE_VALUE_OUTPUT],
    ["kubectl get cm app -n dev -o jsonpath={.data}", "deny", REASON.BARE_VALUE_OUTPUT],
    ["kubectl get pods,cm -n dev -o jsonpath={.items[*].data.LOG_LEVEL}", "deny", REASON.BARE_VALUE_OUTPUT],
    ["kubectl get pod web-0 -n dev -o \"jsonpath={.spec.containers[*].env[?(@.name=='LOG_LEVEL')].value}\"", "allow", "none"],
    ["kubectl get pod web-0 -n dev -o \"jsonpath={.spec.containers[*].env[?(@.name=='DB_PASSWORD')].value}\"", "deny", REASON.BARE_VALUE_OUTPUT],
  ],
  [["kubectl get cm app -n dev -o jsonpath={.data.LOG_LEVEL}", "deny", REASON.BARE_VALUE_OUTPUT]],
);

variantRows(
  "a policy that lists a custom kind as carrying credentials (secretKinds)",
  "secretKinds: []",
  "secretKinds: [vaultsecrets.secrets.hashicorp.com, vs]",
  [
    ["kubectl get vaultsecrets.secrets.hashicorp.com -n dev", "allow", "none"],
    ["kubectl get vaultsecrets -n dev -o yaml", "deny", REASON.SECRET_OUTPUT],
    ["kubectl get vs db -n dev -o json", "deny", REASON.SECRET_OUTPUT],
    ["kubectl describe vaultsecrets.secrets.hashicorp.com db -n dev", "deny", REASON.SECRET_READ],
  ],
  [["kubectl get vaultsecrets -n dev -o yaml", "allow", "none"]],
);

variantRows(
  "a policy that denies a kind (deniedKinds)",
  "deniedKinds: []",
  "deniedKinds: [ConfigMap, certificates.cert-manager.io]",
  [
    ["kubectl get cm -n dev", "deny", REASON.KIND_DENIED],
    ["kubectl get configmaps.v1 app -n dev -o yaml", "deny", REASON.KIND_DENIED],
    ["kubectl get certificates -n dev", "deny", REASON.KIND_DENIED],
    ["kubectl get all -n dev", "deny", REASON.KIND_DENIED],
    ["kubectl get pods -n dev", "allow", "none"],
  ],
  [["kubectl get cm -n dev", "allow", "none"]],
);
