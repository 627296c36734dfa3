/**
 * Red-team family: argv the direct API executor might read differently from kubectl. The policy judges
 * kubectl's meaning; the API executor must either read an allowed argv the same way (verb, namespace, dry
 * run) or leave it to kubectl. Ambiguous spellings (a bare `--dry-run` before a word, repeated namespaces,
 * flags between verb words, `--`, `--context`) must be denied or left to kubectl.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { planCommand } from "../../src/executor/api/plan.js";
import { loadPolicy, quoteArgv, validateCommand } from "../../src/policy/index.js";

const policy = loadPolicy();
const FLUX_KS = "kustomizations.kustomize.toolkit.fluxcd.io/apps";

/** What either side may do with an argv: "deny" (policy), "kubectl" (API executor declines), "same" (both read it alike). */
type Outcome = "deny" | "kubectl" | "same";

const CASES: readonly [Outcome, readonly string[]][] = [
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=0", "--dry-run", "none", "-n", "staging"]],
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=0", "--dry-run", "server", "-n", "staging"]],
  ["deny", ["kubectl", "cordon", "--dry-run", "worker-1"]],
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=2", "-n", "staging", "-n", "prod"]],
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=2", "--namespace=staging", "-nprod"]],
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=02", "-n", "staging"]],
  ["deny", ["kubectl", "scale", "deployment/web", "--replicas=-1", "-n", "staging"]],
  ["deny", ["kubectl", "--context", "prod", "get", "pods", "-n", "staging"]],
  ["deny", ["kubectl", "--context=prod", "scale", "deployment/web", "--replicas=0", "-n", "staging"]],
  ["deny", ["kubectl", "get", "pods", "-n", "staging", "--context", "prod"]],
  ["deny", ["kubectl", "rollout", "restart", "deployment/web", "-n", "staging", "--", "x"]],
  ["deny", ["kubectl", "get", "secret", "db", "-n", "staging", "-o", "yaml"]],
  ["deny", ["kubectl", "get", "SECRETS", "-n", "staging", "-oyaml"]],
  ["deny", ["kubectl", "get", "secrets.v1.", "-n", "staging", "-o", "json"]],
  ["deny", ["kubectl", "get", "pods,secrets", "-n", "staging", "-o", "yaml"]],
  ["deny", ["kubectl", "get", "pods", "-n", "staging", "-A"]],
  ["deny", ["kubectl", "get", "pods", "--all-namespaces=true", "-n", "staging"]],
  ["deny", ["kubectl", "logs", "secret/db", "-n", "staging"]],
  ["deny", ["kubectl", "annotate", "--overwrite", "deployment/web", "kubectl.kubernetes.io/restartedAt=now", "-n", "staging"]],
  ["deny", ["kubectl", "patch", FLUX_KS, "-n", "flux-system", "--type", "merge", "-p", '{"spec":{"suspend":true},"metadata":{"finalizers":null}}']],
  ["deny", ["kubectl", "patch", "deployment/web", "-n", "staging", "--type=merge", "-p", '{"spec":{"replicas":0}}']],
  ["deny", ["kubectl", "cordon", "worker-1", "-n", "staging"]],
  ["kubectl", ["kubectl", "-n", "staging", "scale", "deployment/web", "--replicas=2"]],
  ["kubectl", ["kubectl", "rollout", "-n", "staging", "restart", "deployment/web"]],
  ["kubectl", ["kubectl", "scale", "deployment", "web", "api", "--replicas=2", "-n", "staging"]],
  ["kubectl", ["kubectl", "rollout", "restart", "deployment/web", "-l", "app=web", "-n", "staging"]],
  ["kubectl", ["kubectl", "cordon", "worker-1", "worker-2"]],
  ["kubectl", ["kubectl", "cordon", "node/worker-1"]],
  ["kubectl", ["kubectl", "top", "pod", "-n", "staging", "--containers"]],
  ["kubectl", ["kubectl", "get", "pods", "-n", "staging", "-o", "name", "--sort-by=.metadata.name"]],
  ["same", ["kubectl", "scale", "deployment/web", "--replicas=2", "--dry-run=none", "-n", "staging"]],
  ["same", ["kubectl", "scale", "deployment/web", "--replicas=2", "--dry-run=server", "-n", "staging"]],
  ["same", ["kubectl", "scale", "deployment/web", "--replicas=2", "-n=staging"]],
  ["same", ["kubectl", "scale", "deployment/web", "--replicas=2", "-nstaging"]],
  ["same", ["kubectl", "scale", "deployment", "web", "--replicas", "2", "-n", "staging"]],
  ["same", ["kubectl", "scale", "--replicas=2", "deployment/web", "--namespace", "staging"]],
  ["same", ["kubectl", "rollout", "restart", "Deployment/web", "-n", "staging"]],
  ["same", ["kubectl", "rollout", "restart", "deployments.v1.apps/web", "-n", "staging"]],
  ["same", ["kubectl", "rollout", "undo", "deployment/web", "-n", "staging", "--to-revision", "1"]],
  ["same", ["kubectl", "cordon", "worker-1", "--dry-run=server"]],
  ["same", ["kubectl", "uncordon", "worker-1"]],
  ["same", ["kubectl", "annotate", "--overwrite", FLUX_KS, "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=now"]],
  ["same", ["kubectl", "patch", FLUX_KS, "-n", "flux-system", "--type=merge", "-p", '{"spec":{"suspend":true}}']],
  ["same", ["kubectl", "patch", FLUX_KS, "-n", "flux-system", "--type=merge", '-p{"spec":{"suspend":true}}']],
  ["same", ["kubectl", "get", "secret", "db", "-n", "staging", "-o", "wide"]],
  ["same", ["kubectl", "get", "pods", "-A", "-o", "json"]],
  ["same", ["kubectl", "logs", "web-0", "-n", "staging", "-p"]],
];

/** The namespace kubectl (pflag: last one wins) reads from an argv, or null. */
function kubectlNamespace(argv: readonly string[]): string | null {
  let namespace: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === "--") break;
    if (token === "-n" || token === "--namespace") namespace = argv[++i] ?? null;
    else if (token.startsWith("--namespace=")) namespace = token.slice("--namespace=".length);
    else if (token.startsWith("-n") && !token.startsWith("--")) namespace = token.slice(2).replace(/^=/, "");
  }
  return namespace;
}

const dryRunOf = (argv: readonly string[]): string | null => argv.find((t) => t.startsWith("--dry-run="))?.slice("--dry-run=".length) ?? null;

describe("red team: the API executor never reads an allowed argv differently from kubectl", () => {
  for (const [expected, argv] of CASES) {
    test(`${expected}: ${argv.slice(1).join(" ")}`, () => {
      const validation = validateCommand(quoteArgv(argv), policy);
      const taken = planCommand(argv);
      const outcome: Outcome = validation.decision === "deny" ? "deny" : taken ? "same" : "kubectl";
      assert.equal(outcome, expected, validation.reasons.map((r) => r.message).join("; "));
      if (outcome !== "same" || !taken || !validation.parsed) return;
      assert.equal(validation.parsed.namespace, kubectlNamespace(argv), "policy and API executor judge the same namespace");
      assert.equal(validation.parsed.dryRun, dryRunOf(argv));
      assert.equal(taken.readOnly, validation.readOnly, "a write is never taken as a read (which may be retried through kubectl)");
      assert.equal(taken.context, undefined, "only the gate adds --context");
    });
  }
});
