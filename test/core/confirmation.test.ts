import assert from "node:assert/strict";
import { test } from "node:test";
import { approvalOf, confirmTokenFor } from "../../src/core/confirmation.js";
import type { Plan } from "../../src/planner/types.js";

const plan = (planner: Plan["planner"]): Plan => ({
  intent: "scale",
  resource: "deployment",
  namespace: "staging",
  target: "web",
  selector: null,
  command: "kubectl scale deployment/web -n staging --replicas=3",
  commands: ["kubectl scale deployment/web -n staging --replicas=3"],
  steps: [["kubectl", "scale", "deployment/web", "-n", "staging", "--replicas=3"]],
  summary: "scale",
  cardId: "deployment-scale",
  planner,
});

test("the token names what would run: any argv change changes it, the current time does not", () => {
  const a = confirmTokenFor([["kubectl", "scale", "deployment/web", "-n", "staging", "--replicas=3"]]);
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.notEqual(a, confirmTokenFor([["kubectl", "scale", "deployment/web", "-n", "staging", "--replicas=4"]]));
  assert.notEqual(a, confirmTokenFor([["kubectl", "scale", "deployment/web", "-n", "staging"], ["--replicas=3"]]), "step boundaries count");
  const at = (instant: string) => confirmTokenFor([["flux", "reconcile", "kustomization", "apps", "-n", "flux-system"], [`reconcile.fluxcd.io/requestedAt=${instant}`]]);
  assert.equal(at("2026-11-25T10:00:00Z"), at("2026-11-25T10:00:07.123Z"));
});

test("approval: template plans accept confirm alone; model plans need their token; a wrong token never approves", () => {
  const token = confirmTokenFor(plan("template").steps);
  assert.equal(approvalOf({ confirm: false }, plan("template"), token, "medium").approved, false);
  assert.equal(approvalOf({ confirm: true }, plan("template"), token, "medium").approved, true);
  assert.equal(approvalOf({ confirm: true }, plan("goal-parser"), token, "medium").approved, true);
  assert.equal(approvalOf({ confirm: true }, plan("llm"), token, "medium").approved, false);
  assert.equal(approvalOf({ confirm: true, confirmToken: token }, plan("llm"), token, "medium").approved, true);
  for (const planner of ["template", "llm"] as const) {
    assert.equal(approvalOf({ confirm: true, confirmToken: "0".repeat(16) }, plan(planner), token, "medium").approved, false);
  }
  assert.equal(approvalOf({ confirm: false, confirmToken: token }, plan("llm"), token, "medium").approved, false, "a token without confirm is not an approval");
});
