/**
 * Red-team family: hostile cluster data steering the health scan and the goal inventory. A crash-looping pod
 * whose logs carry terminal escapes (clear screen, OSC 52 clipboard writes), a planted password and template or
 * shell syntax; a deployment named "every" with a "constructor" label. The scan reports without escapes or
 * secrets and proposes only policy-checked fixes; goals never take a quantifier or a hostile word as a name.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";
import { hostileFixture, PLANTED } from "./fixture.js";

const ESCAPES = ["\u001b", "\u0007", "\u009b", "\u202e"];

describe("red team: hostile cluster data", () => {
  let h: Harness;
  const writes = () => h.sandbox.requests.filter((r) => r.method !== "GET");
  before(async () => {
    h = await startHarness({}, { fixture: hostileFixture() });
  });
  after(() => h.close());

  test("the health scan of a namespace with hostile logs and names writes nothing and shows no escape or secret", async () => {
    h.sandbox.clearRequests();
    for (const scope of [{ namespace: "staging" }, { allNamespaces: true }]) {
      const report = await h.runtime.health(scope);
      const text = JSON.stringify(report);
      for (const escape of ESCAPES) assert.ok(!text.includes(escape), `escape ${JSON.stringify(escape)} in the report`);
      assert.ok(!text.includes(PLANTED.logPassword), "planted password in the report");
      assert.ok(text.includes("every"), "the crash-looping deployment is reported");
    }
    const asked = await h.runtime.read({ goal: "what's wrong in staging?" });
    for (const escape of ESCAPES) assert.ok(!asked.stdout.includes(escape));
    assert.deepEqual(writes(), [], "a health scan only reads");
  });

  test("logs of the hostile pod reach the caller without escapes or the planted password", async () => {
    const response = await h.runtime.read({ command: "kubectl logs deployment/every -n staging --previous" });
    const text = JSON.stringify(response);
    for (const escape of ESCAPES.slice(0, 3)) assert.ok(!response.stdout.includes(escape), `escape ${JSON.stringify(escape)}`);
    assert.ok(!text.includes(PLANTED.logPassword));
  });

  test("quantifiers in goals are never names, even when an object is called that", async () => {
    h.sandbox.clearRequests();
    for (const goal of ["restart every deployment in staging", "restart all deployments in staging", "scale each deployment in staging to 0", "delete every pod in staging"]) {
      const response = await h.runtime.exec({ goal, constraints: { confirm: true } });
      assert.notEqual(response.status, "succeeded", goal);
      assert.doesNotMatch(response.plan?.command ?? "", /\/every\b|\s(every|all|each)(\s|$)/, `${goal} → ${response.plan?.command}`);
    }
    const named = await h.runtime.plan({ goal: "restart deployment every in staging" });
    assert.ok(named.status === "planned" || named.status === "needs_input", named.message);
    assert.deepEqual(writes(), []);
  });
});
