import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { bundledCardsDir, loadCardsSync, renderCard } from "../../src/cards/index.js";
import type { Decision, ReasonCode } from "../../src/policy/index.js";
import { loadPolicy, validateCommand } from "../../src/policy/index.js";

const policy = loadPolicy();
const cards = loadCardsSync([bundledCardsDir()]).cards;
const now = new Date("2024-05-01T12:00:00Z");

/**
 * Every bundled card example, by namespace, with the verdict the bundled policy gives on purpose. A card
 * command missing here must be a plain allow; one listed here must get exactly this verdict.
 */
const NOT_PLAIN_ALLOW: Readonly<Record<string, Readonly<Record<string, { decision: Decision; code: ReasonCode }>>>> = {
  // prod: reads and rollout status/history/restart only, and every change needs confirmation.
  prod: {
    "deployment-restart#1": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
    "deployment-rollout-undo#1": { decision: "deny", code: "VERB_NOT_ALLOWED_IN_NAMESPACE" },
  },
  // Namespaces not named in the policy get the conservative rule: every change is confirmed, rollout undo is
  // not among its verbs, and scaling to 0 (destructive) is refused.
  shop: {
    "deployment-restart#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
    "deployment-rollout-undo#0": { decision: "deny", code: "VERB_NOT_ALLOWED_IN_NAMESPACE" },
    "deployment-scale#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
  },
  batch: { "deployment-scale#1": { decision: "deny", code: "DESTRUCTIVE_NOT_ALLOWED" } },
  streaming: { "statefulset-scale#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" } },
  logging: { "daemonset-restart#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" } },
  data: { "statefulset-restart#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" } },
  // Re-running a CronJob's work now is medium risk.
  ops: { "job-rerun#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" } },
  "flux-system": {
    "flux-suspend-kustomization#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
    "kustomization-suspend-kubectl#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
  },
  // Cluster-scoped (no namespace): cordon is medium, drain high.
  "": {
    "node-cordon#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
    "node-drain#0": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
    "node-drain#1": { decision: "confirm", code: "NEEDS_CONFIRMATION" },
  },
};

describe("bundled card examples under the bundled policy", () => {
  const seen = new Set<string>();
  for (const card of cards) {
    card.examples.forEach((example, index) => {
      const key = `${card.id}#${index}`;
      const namespace = typeof example.values["namespace"] === "string" ? example.values["namespace"] : "";
      it(`${key} in ${namespace || "the cluster"}`, () => {
        const rendered = renderCard(card, example.values, { now });
        const expected = NOT_PLAIN_ALLOW[namespace]?.[key] ?? { decision: "allow" as const, code: null };
        seen.add(`${namespace}/${key}`);
        rendered.commands.forEach((command, step) => {
          const v = validateCommand(command, policy, namespace ? { namespace } : {});
          const why = `${command}: ${v.reasons.map((r) => `${r.code} ${r.message}`).join("; ")}`;
          // Multi-step cards are read-only diagnostics; only their first verdict is listed.
          assert.deepEqual({ decision: v.decision, code: v.reasons[0]?.code ?? null }, step === 0 ? expected : { decision: "allow", code: null }, why);
          if (v.decision !== "deny") assert.deepEqual(v.argv, rendered.steps[step], "the validated argv must be the rendered argv");
        });
      });
    });
  }

  it("every listed exception is a real card example in that namespace", () => {
    for (const [namespace, entries] of Object.entries(NOT_PLAIN_ALLOW)) {
      for (const key of Object.keys(entries)) assert.ok(seen.has(`${namespace}/${key}`), `${namespace}/${key} is not a bundled card example`);
    }
  });
});
