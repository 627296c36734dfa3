import assert from "node:assert/strict";
import { test } from "node:test";
import { bundledCardsDir, lintCards, loadCards, renderCard } from "../../src/cards/index.js";
import type { Card } from "../../src/cards/index.js";

const set = await loadCards([bundledCardsDir()]);
const steps = (card: Card): string[] => (typeof card.command_template === "string" ? [card.command_template] : [...card.command_template]);

test("the bundled cards lint without errors or warnings", async () => {
  const issues = await lintCards([bundledCardsDir()]);
  assert.deepEqual(
    issues.map((i) => `${i.severity} ${i.file}:${i.line}:${i.column} ${i.message}`),
    [],
  );
});

test("the bundled set covers the required operations", () => {
  assert.ok(set.cards.length >= 34, `only ${set.cards.length} cards`);
  const required = [
    "deployment-restart", "statefulset-restart", "daemonset-restart",
    "deployment-rollout-status", "statefulset-rollout-status", "deployment-rollout-history", "deployment-rollout-undo",
    "deployment-scale", "statefulset-scale", "deployment-describe", "pod-describe", "node-describe",
    "pod-logs", "pod-logs-by-selector", "deployment-logs",
    "pod-crashloop-diagnose", "pod-imagepull-diagnose", "deployment-rollout-stuck-diagnose",
    "events-recent", "events-for-object", "pods-top", "nodes-top",
    "node-cordon", "node-uncordon", "node-drain", "namespaces-list", "pods-list-by-phase", "pods-list-by-label",
    "configmap-view", "job-rerun",
    "flux-get-kustomizations", "flux-reconcile-kustomization", "flux-suspend-kustomization", "flux-resume-kustomization",
    "kustomization-get-kubectl", "kustomization-reconcile-kubectl", "kustomization-suspend-kubectl", "kustomization-resume-kubectl",
  ];
  assert.deepEqual(required.filter((id) => !set.byId.has(id)), []);
});

test("namespaced cards always pass -n {{namespace}}; cluster-scoped ones never do", () => {
  for (const card of set.cards) {
    for (const step of steps(card)) {
      const tokens = step.split(/\s+/);
      const clusterScoped = card.resource === "node" || card.resource === "namespace";
      if (clusterScoped) assert.ok(!tokens.includes("-n"), `${card.id}: ${step}`);
      else assert.ok(tokens.join(" ").includes("-n {{namespace}}"), `${card.id} lacks -n {{namespace}}: ${step}`);
    }
  }
});

test("no card template lists across all namespaces or forces anything", () => {
  for (const card of set.cards) {
    for (const step of steps(card)) {
      for (const banned of ["-A", "--all-namespaces", "--force", "--grace-period=0"]) {
        assert.ok(!step.split(/\s+/).includes(banned), `${card.id} uses ${banned}`);
      }
    }
  }
});

test("every card is complete enough for retrieval and for an operator to trust", () => {
  for (const card of set.cards) {
    assert.ok(card.examples.length >= 1 && card.examples.length <= 3, card.id);
    assert.ok(card.notes.length >= 2 && card.notes.length <= 4, `${card.id}: ${card.notes.length} notes`);
    assert.ok(card.flags.length >= 1, card.id);
    assert.ok(card.preconditions.length >= 1, card.id);
    assert.ok(card.keywords.length >= 5, card.id);
    for (const ref of card.references) assert.match(ref, /^https:\/\/(kubernetes\.io|fluxcd\.io)\//, card.id);
  }
});

test("read-only cards are risk none and mutating verbs are not", () => {
  const mutating = /^(kubectl (rollout (restart|undo)|scale|cordon|uncordon|drain|create|annotate|patch)|flux (reconcile|suspend|resume)) /;
  for (const card of set.cards) {
    const mutates = steps(card).some((s) => mutating.test(s));
    assert.equal(card.risk_level === "none", !mutates, `${card.id} has risk ${card.risk_level}`);
  }
});

test("flux-CLI cards and their kubectl equivalents share intent and resource", () => {
  for (const verb of ["get", "reconcile", "suspend", "resume"] as const) {
    const cards = set.cards.filter((c) => c.intent === verb && c.resource === "kustomization");
    const heads = cards.map((c) => steps(c)[0]?.split(" ")[0]).sort();
    assert.deepEqual(heads, ["flux", "kubectl"], verb);
  }
});

test("the kubectl reconcile card renders {{now}} from the context", () => {
  const card = set.byId.get("kustomization-reconcile-kubectl");
  assert.ok(card);
  const out = renderCard(card, { name: "apps", namespace: "flux-system" }, { now: new Date("2025-01-02T03:04:05.678Z") });
  assert.equal(out.steps[0]?.at(-1), "reconcile.fluxcd.io/requestedAt=2025-01-02T03:04:05Z");
  assert.equal(out.values.now, "2025-01-02T03:04:05Z");
});
