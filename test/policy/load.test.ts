import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  PolicyLoadError,
  bundledPolicyDir,
  explainNamespace,
  formatNamespaceExplanation,
  formatPolicyProblem,
  lintPolicyDir,
  loadPolicy,
  summarizePolicy,
  validateCommand,
  withServerModes,
} from "../../src/policy/index.js";
import type { PolicyProblem } from "../../src/policy/index.js";

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A copy of the bundled policy folder with some files replaced (name → YAML text). */
function policyDir(replace: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-policy-"));
  roots.push(dir);
  cpSync(bundledPolicyDir(), dir, { recursive: true });
  for (const [name, text] of Object.entries(replace)) writeFileSync(join(dir, name), text);
  return dir;
}

function loadProblems(dir: string): readonly PolicyProblem[] {
  try {
    loadPolicy(dir);
  } catch (error) {
    assert.ok(error instanceof PolicyLoadError, String(error));
    return error.problems;
  }
  return assert.fail("the policy loaded");
}

const bundledRules = readFileSync(join(bundledPolicyDir(), "rules.yaml"), "utf8");

describe("loadPolicy", () => {
  it("loads and lints the bundled policy cleanly", () => {
    const policy = loadPolicy();
    assert.ok(policy.verbs.has("get"));
    assert.ok(policy.namespaces.has("prod"));
    assert.deepEqual(lintPolicyDir(), []);
  });

  it("finds the bundled folder beside package.json", () => {
    const pkg = JSON.parse(readFileSync(join(bundledPolicyDir(), "..", "package.json"), "utf8")) as { name: string };
    assert.equal(pkg.name, "rag-k8s");
  });

  it("loads a user folder and applies it", () => {
    const dir = policyDir({ "namespaces.yaml": "namespaces:\n  prod:\n    verbs: [get]\nunlistedNamespaces:\n  verbs: [get, describe]\ncluster:\n  verbs: [get]\n" });
    const policy = loadPolicy(dir);
    assert.equal(validateCommand("kubectl get pods -n prod", policy).decision, "allow");
    assert.equal(validateCommand("kubectl describe pod x -n prod", policy).reasons[0]?.code, "VERB_NOT_ALLOWED_IN_NAMESPACE");
    assert.equal(validateCommand("kubectl describe pod x -n shop", policy).decision, "allow");
  });

  it("gives namespaces nobody named the conservative rules when a policy leaves them out", () => {
    const policy = loadPolicy(policyDir({ "namespaces.yaml": "namespaces:\n  dev:\n    verbs: [get, scale]\ncluster:\n  verbs: [get]\n" }));
    assert.equal(validateCommand("kubectl scale deploy/web -n dev --replicas=0", policy).decision, "confirm");
    assert.equal(validateCommand("kubectl get pods -n team-a", policy).decision, "allow");
    assert.equal(validateCommand("kubectl scale deploy/web -n team-a --replicas=2", policy).reasons[0]?.code, "VERB_NOT_ALLOWED_IN_NAMESPACE");
    assert.equal(validateCommand("kubectl scale deploy/web -n production --replicas=2", policy).reasons[0]?.code, "VERB_NOT_ALLOWED_IN_NAMESPACE");
  });

  it("names file, line and column of a schema error", () => {
    const text = "namespaces:\n  default:\n    verbs: [get, frobnicate]\ncluster:\n  verbs: [get]\n";
    const dir = policyDir({ "namespaces.yaml": text });
    const [problem, ...rest] = loadProblems(dir);
    assert.equal(rest.length, 0);
    assert.equal(problem?.file, join(dir, "namespaces.yaml"));
    assert.equal(problem?.line, 3);
    assert.equal(problem?.column, 18);
    assert.match(problem?.message ?? "", /namespaces\.default\.verbs\.1: unknown verb/);
    assert.match(new PolicyLoadError([problem as PolicyProblem]).message, /namespaces\.yaml:3:18: /);
  });

  it("refuses to allow a verb whose arguments are not checked", () => {
    const dir = policyDir({ "rules.yaml": bundledRules.replace("verbs:\n  - get\n", "verbs:\n  - exec\n  - get\n") });
    const [problem] = loadProblems(dir);
    assert.match(problem?.message ?? "", /verbs\.0: this verb is always refused/);
    assert.equal(problem?.file, join(dir, "rules.yaml"));
  });

  it("reports YAML syntax errors, unknown keys, a bad pattern and a key set in two files", () => {
    assert.match(loadProblems(policyDir({ "namespaces.yaml": "namespaces: [\n" }))[0]?.message ?? "", /not valid YAML/);
    assert.match(loadProblems(policyDir({ "extra.yaml": "colour: blue\n" }))[0]?.message ?? "", /colour|Unrecognized key/);
    const badPattern = "namespaces: {}\nprodLikeNamespaces:\n  pattern: '(prod'\n  verbs: [get]\ncluster:\n  verbs: [get]\n";
    const [pattern] = loadProblems(policyDir({ "namespaces.yaml": badPattern }));
    assert.match(pattern?.message ?? "", /prodLikeNamespaces\.pattern: not a valid regular expression/);
    assert.equal(pattern?.line, 3);
    const twice = policyDir({ "more.yaml": "secrets:\n  allowGet: true\n" });
    const [dup] = loadProblems(twice);
    assert.equal(dup?.file, join(twice, "rules.yaml"));
    assert.match(dup?.message ?? "", /"secrets" is already set in .*more\.yaml/);
  });

  it("names a missing file instead of a schema error at 0:0", () => {
    const dir = policyDir();
    rmSync(join(dir, "rules.yaml"));
    const problems = loadProblems(dir);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.file, join(dir, "rules.yaml"));
    assert.match(problems[0]?.message ?? "", /^file not found: this folder has no rules\.yaml, and no other file sets "verbs" and "resources"; copy rules\.yaml from the bundled policy/);
    assert.match(formatPolicyProblem(problems[0] as PolicyProblem), /rules\.yaml: file not found/);
    assert.doesNotMatch(new PolicyLoadError(problems).message, /:0:0/);
  });

  it("names a required key no file sets, in the file that should set it", () => {
    const dir = policyDir({ "namespaces.yaml": "namespaces: {}\n" });
    const [problem, ...rest] = loadProblems(dir);
    assert.equal(rest.length, 0);
    assert.equal(problem?.file, join(dir, "namespaces.yaml"));
    assert.equal(problem?.message, '"cluster" must be set; no policy file in this folder sets it');
  });

  it("reports a missing or empty folder", () => {
    assert.match(loadProblems(join(tmpdir(), "rag-k8s-no-such-policy-dir"))[0]?.message ?? "", /cannot read the policy folder/);
    const empty = mkdtempSync(join(tmpdir(), "rag-k8s-policy-empty-"));
    roots.push(empty);
    assert.match(loadProblems(empty)[0]?.message ?? "", /no \*\.yaml policy files/);
  });
});

describe("lintPolicyDir", () => {
  it("reports rules that can never apply, with their position", () => {
    const text = "namespaces:\n  default:\n    verbs: [get, drain, label]\ncluster:\n  verbs: [get]\n";
    const dir = policyDir({ "namespaces.yaml": text });
    const problems = lintPolicyDir(dir);
    const messages = problems.map((p) => `${p.line}:${p.column} ${p.message}`);
    assert.ok(messages.some((m) => /^3:18 .*"drain" acts on cluster-scoped objects/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /^3:25 .*"label" is not in the global verbs list/.test(m)), messages.join("\n"));
  });

  it("warns when high risk would run without confirmation and about unknown resources", () => {
    const rules = bundledRules.replace("risks: [medium, high]", "risks: [medium]").replace("  - gitrepositories\n", "  - gitrepositories\n  - widgets\n");
    const messages = lintPolicyDir(policyDir({ "rules.yaml": rules })).map((p) => p.message);
    assert.ok(messages.some((m) => /confirm\.risks: high-risk commands/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /"widgets" is not a resource rag-k8s recognises/.test(m)), messages.join("\n"));
  });

  it("reports field paths it cannot read and cluster-only verbs in the namespace profiles", () => {
    const rules = bundledRules.replace("fieldPaths: []", "fieldPaths:\n  - resource: configmaps\n    path: '{.data'\n");
    const namespaces = readFileSync(join(bundledPolicyDir(), "namespaces.yaml"), "utf8").replace("unlistedNamespaces:\n  verbs:\n", "unlistedNamespaces:\n  verbs:\n    - drain\n");
    const messages = lintPolicyDir(policyDir({ "rules.yaml": rules, "namespaces.yaml": namespaces })).map((p) => formatPolicyProblem(p));
    assert.ok(messages.some((m) => /rules\.yaml:\d+:\d+: fieldPaths\.0\.path: "\{\.data" is not a JSONPath/.test(m)), messages.join("\n"));
    assert.ok(messages.some((m) => /namespaces\.yaml:\d+:\d+: unlistedNamespaces\.verbs\.0: "drain" acts on cluster-scoped objects/.test(m)), messages.join("\n"));
  });

  it("returns load problems instead of throwing", () => {
    const problems = lintPolicyDir(policyDir({ "namespaces.yaml": "namespaces: 3\ncluster:\n  verbs: []\n" }));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.line, 1);
  });
});

describe("explainNamespace", () => {
  const policy = loadPolicy();

  it("says where each namespace's rule comes from", () => {
    const cases: [string | null, string][] = [
      ["prod", "listed"],
      ["staging", "listed"],
      ["production", "prod-like"],
      ["shop-prd", "prod-like"],
      ["live", "prod-like"],
      ["shop", "unlisted"],
      ["default", "unlisted"],
      ["products", "unlisted"],
      [null, "cluster"],
    ];
    for (const [namespace, source] of cases) assert.equal(explainNamespace(policy, namespace).source, source, String(namespace));
  });

  it("explains the effective rules of an unlisted namespace", () => {
    const shop = explainNamespace(policy, "shop");
    assert.ok(shop.verbs.includes("rollout restart") && shop.verbs.includes("get"));
    assert.ok(!shop.verbs.includes("delete") && !shop.verbs.includes("rollout undo"));
    assert.deepEqual([shop.confirmation.everyChange, shop.destructive, shop.secrets], [true, "refused", "metadata only"]);
    assert.equal(
      formatNamespaceExplanation(shop).split("\n")[0],
      "namespace shop: unlisted (shop is not named in the policy, so the rule for unlisted namespaces applies)",
    );
    const staging = explainNamespace(policy, "staging");
    assert.deepEqual([staging.confirmation.everyChange, staging.destructive], [false, "allowed where listed"]);
  });

  it("shows server modes", () => {
    const narrowed = withServerModes(policy, { readOnly: true, deniedKinds: ["Secret", "cm"] });
    const staging = explainNamespace(narrowed, "staging");
    assert.ok(staging.verbs.every((verb) => ["get", "describe", "logs", "top pod", "events", "rollout status", "rollout history", "flux get"].includes(verb)), staging.verbs.join());
    assert.ok(staging.refused.some((r) => r.verb === "scale" && r.why === "the server runs read-only"));
    assert.deepEqual(staging.deniedKinds, ["secrets", "configmaps"]);
    assert.match(formatNamespaceExplanation(staging), /server mode: read-only/);
    assert.equal(explainNamespace(withServerModes(policy, { disableDestructive: true }), "dev").destructive, "refused");
  });
});

describe("summarizePolicy", () => {
  it("tells a model what namespaces nobody named may do, and a read-only server", () => {
    const policy = loadPolicy();
    const summary = summarizePolicy(policy);
    assert.match(summary, /^- any other namespace \(every change confirmed; no delete, drain, scale to 0 or undo\): get, /m);
    assert.match(summary, /^- other namespaces named like production \(prod, production, prd, live; /m);
    assert.doesNotMatch(summary, /read-only/);
    assert.match(summarizePolicy(withServerModes(policy, { readOnly: true })), /this server is read-only/);
  });
});

describe("withServerModes", () => {
  const policy = loadPolicy();
  it("only narrows, and leaves the policy it was given alone", () => {
    const once = withServerModes(policy, { readOnly: true, deniedKinds: ["configmaps"] });
    const twice = withServerModes(once, { readOnly: false, deniedKinds: ["deploy"] });
    assert.deepEqual([twice.modes.readOnly, [...twice.modes.deniedKinds]], [true, ["configmaps", "deployments"]]);
    assert.deepEqual([policy.modes.readOnly, policy.modes.deniedKinds.size], [false, 0]);
  });
  it("refuses input that is not server modes", () => {
    assert.throws(() => withServerModes(policy, { readOnly: "yes" } as never));
    assert.throws(() => withServerModes(policy, { deniedKinds: ["$(id)"] }));
  });
});
