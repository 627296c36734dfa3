import assert from "node:assert/strict";
import { test } from "node:test";
import { deepFreeze } from "../../../src/core/errors.js";
import { responseJson } from "../../../src/interfaces/http/json.js";

const plan = deepFreeze({ command: "kubectl get pods -n \"prod\"", steps: [["kubectl", "get", "pods"]], note: "ünïcode ✓" });

test("responseJson is exactly JSON.stringify, frozen parts or not, the first time and every time after", () => {
  const rows: readonly { readonly name: string; readonly body: object }[] = [
    { name: "empty", body: {} },
    { name: "plain fields", body: { a: 1, b: "two", c: null, d: [1, "x", null], e: { f: true } } },
    { name: "undefined, functions and symbols are left out", body: { a: undefined, b: () => 1, c: Symbol("s"), d: 0 } },
    { name: "a frozen part", body: { operationId: "op-1", plan, timings: { totalMs: 0.25 } } },
    { name: "the same frozen part under two keys", body: { plan, again: plan } },
    { name: "a Date and a value with toJSON", body: { at: new Date(0), custom: { toJSON: () => "custom" } } },
    { name: "frozen arrays and strings with escapes", body: { argv: deepFreeze(["a\nb", "\u2028", "\"q\""]) } },
    { name: "constants: short strings, booleans, null, empty arrays, first and later", body: { status: "planned", ok: true, no: false, none: null, steps: [], stdout: "" } },
    { name: "the same constants under other keys", body: { decision: "planned", status: "allow", steps: null, none: [], ok: false } },
    { name: "short strings that need escaping", body: { quote: "say \"hi\"", tab: "a\tb", line: "\u2028" } },
    { name: "a long string and a frozen part first", body: { plan, message: "x".repeat(200), operationId: "0f8fad5b-d9cb-469f-a165-70867728950e" } },
    { name: "a frozen value whose toJSON gives undefined is left out", body: { a: 1, gone: Object.freeze({ toJSON: () => undefined }), b: 2 } },
    { name: "an empty array with its own toJSON", body: { list: Object.assign([], { toJSON: () => "custom" }) } },
    // Runs of recurring fields (frozen parts, constants) are remembered as one piece; each way to differ gets its own text.
    ...["planned", "denied", "awaiting_confirmation", "needs_input", "failed", "succeeded", "dry_run", "x", "y", "planned"].map((status) => ({
      name: `a run with status ${status}`,
      body: { operationId: "op-1", status, executed: false, plan, validation: null, steps: [], message: "validated; not executed", timings: { totalMs: 1 } },
    })),
    { name: "the same run with a left-out field inside", body: { status: "planned", executed: undefined, plan, steps: [] } },
    { name: "the same run in another order", body: { plan, status: "planned", steps: [] } },
    { name: "a short run", body: { status: "planned", plan, steps: [] } },
    { name: "the same values under other keys", body: { state: "planned", plan, steps: [] } },
    { name: "the same run with a non-empty array", body: { status: "planned", plan, steps: ["x"] } },
    { name: "the same run with an equal copy of the frozen part", body: { status: "planned", plan: deepFreeze(JSON.parse(JSON.stringify(plan)) as object), steps: [] } },
    { name: "unique fields between recurring ones", body: { status: "planned", confirmToken: "rk1.a", plan, expiresAt: "2026-01-01T00:00:00.000Z", steps: [] } },
  ];
  for (let round = 0; round < 3; round++) {
    for (const row of rows) assert.equal(responseJson(row.body), JSON.stringify(row.body), `${row.name} (round ${round + 1})`);
  }
});
