/**
 * Red-team family: mass mutations. Selector-wide, multi-kind, `--all`, whole kinds, unlisted and prod-like
 * namespaces, several nodes, eviction-bypassing drains: never allowed without confirmation, denied where the
 * namespace or the verb forbids them. Judged by the bundled policy, as every face does.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadPolicy, validateCommand } from "../../src/policy/index.js";
import type { Decision } from "../../src/policy/index.js";

const policy = loadPolicy();

/** Each command and the strongest decision it may get: "confirm" means confirm or deny, "deny" means deny. */
const CASES: readonly [Exclude<Decision, "allow">, string][] = [
  ["confirm", "kubectl rollout restart deployments,statefulsets,daemonsets -l app -n default"],
  ["confirm", "kubectl rollout restart deployment -l '!nonexistent' -n staging"],
  ["confirm", "kubectl rollout restart deployment -l app.kubernetes.io/name=web -n staging"],
  ["confirm", "kubectl rollout restart deployment/web -n unlisted-namespace"],
  ["confirm", "kubectl rollout restart deployment/web -n prod"],
  ["confirm", "kubectl rollout restart deployment/web -n production-eu"],
  ["confirm", "kubectl rollout restart deployment/web -n shop-prod"],
  ["confirm", "kubectl scale deployment/web --replicas=0 -n staging"],
  ["confirm", "kubectl cordon worker-1 worker-2 worker-3"],
  ["confirm", "kubectl create job rerun --from=cronjob/nightly -n batch"],
  ["confirm", "kubectl delete pod -l app=web -n staging"],
  ["deny", "kubectl rollout restart deployment --all -n staging"],
  ["deny", "kubectl rollout restart deployment -n staging"],
  ["deny", "kubectl rollout restart deployment -l app -A"],
  ["deny", "kubectl rollout restart deployment --all-namespaces -l app"],
  ["deny", "kubectl delete pods --all -n staging"],
  ["deny", "kubectl delete pods -A -l app=web"],
  ["deny", "kubectl delete all --all -n staging"],
  ["deny", "kubectl delete namespace prod"],
  ["deny", "kubectl delete ns staging dev"],
  ["deny", "kubectl scale deployment --all --replicas=0 -n staging"],
  ["deny", "kubectl scale deployment -l app --replicas=0 -A"],
  ["deny", "kubectl label pods --all -n staging a=b --overwrite"],
  ["deny", "kubectl annotate deployments --all -n staging a=b"],
  ["deny", "kubectl drain worker-1 --disable-eviction --force --grace-period=0 --ignore-daemonsets"],
  ["deny", "kubectl drain -l pool=batch --ignore-daemonsets"],
  ["deny", "kubectl cordon -l pool=batch"],
  ["deny", "kubectl delete nodes --all"],
  ["deny", "kubectl scale deployment/web --replicas=0 -n kube-system"],
  ["deny", "kubectl rollout restart deployments -l every -n every"],
  ["deny", "kubectl rollout restart deployment/web -n all"],
];

describe("red team: mass mutations always need a person, or are refused", () => {
  for (const [strongest, command] of CASES) {
    test(`${strongest}: ${command}`, () => {
      const validation = validateCommand(command, policy);
      if (strongest === "deny") assert.equal(validation.decision, "deny", `expected deny, got ${validation.decision} (risk ${validation.risk})`);
      else assert.notEqual(validation.decision, "allow", `allowed without confirmation at risk ${validation.risk}`);
    });
  }
});
