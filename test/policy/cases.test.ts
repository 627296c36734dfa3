import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadPolicy, validateCommand } from "../../src/policy/index.js";
import { CASES } from "./cases.js";

const policy = loadPolicy();

describe("policy table", () => {
  it("has at least 200 cases", () => {
    assert.ok(CASES.length >= 200, `only ${CASES.length} cases`);
  });

  for (const c of CASES) {
    const label = `${c.decision} ${c.code ?? "-"}: ${JSON.stringify(c.command.length > 120 ? `${c.command.slice(0, 120)}…` : c.command)}`;
    it(label, () => {
      const v = validateCommand(c.command, policy, c.namespace === undefined ? {} : { namespace: c.namespace });
      const got = { decision: v.decision, code: v.reasons[0]?.code ?? null, ...(c.risk ? { risk: v.risk } : {}) };
      const want = { decision: c.decision, code: c.code, ...(c.risk ? { risk: c.risk } : {}) };
      assert.deepEqual(got, want, v.reasons.map((r) => `${r.code}: ${r.message}`).join("; "));
      if (v.decision === "deny") assert.deepEqual(v.argv, []);
      else assert.ok(v.argv.length > 1 && (v.argv[0] === "kubectl" || v.argv[0] === "flux"));
    });
  }
});
