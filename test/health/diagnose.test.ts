import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diagnose, HealthOptionsError, HealthReportSchema, renderHealth } from "../../src/health/index.js";
import type { HealthReport } from "../../src/health/index.js";
import { countTokens } from "../../src/tokens.js";
import { EVENTS, fakeRead, HELMRELEASES, KUSTOMIZATIONS, NODES, PVCS, WORKLOADS } from "./fake-read.js";
import { deployment, node, pod, warningEvent } from "./objects.js";

const crashing = (ns: string, name: string) => pod(ns, name, { containers: [{ name: "app", restarts: 5, waiting: { reason: "CrashLoopBackOff" }, last: { reason: "Error", exitCode: 1 } }] });

describe("diagnose", () => {
  describe("refuses options it cannot honour", () => {
    const bad: [string, object][] = [
      ["neither scope", {}],
      ["both scopes", { namespace: "prod", allNamespaces: true }],
      ["an invalid namespace", { namespace: "Prod; rm" }],
      ["a budget too small to say anything", { allNamespaces: true, budgetTokens: 10 }],
      ["an unknown option", { allNamespaces: true, verbose: true }],
    ];
    for (const [title, options] of bad) {
      it(title, async () => {
        await assert.rejects(diagnose(fakeRead({}), options), HealthOptionsError);
      });
    }
  });

  it("reads with a handful of list calls, scoped to the namespace, never one per object", async () => {
    const calls: string[][] = [];
    const pods = Array.from({ length: 50 }, (_, i) => crashing("shop", `web-${i}`));
    await diagnose(fakeRead({ [WORKLOADS]: pods }, calls), { namespace: "shop" });
    assert.equal(calls.length, 5);
    for (const argv of calls) {
      assert.deepEqual(argv.slice(0, 2), ["kubectl", "get"]);
      assert.deepEqual(argv.slice(-4), ["-o", "json", "-n", "shop"]);
    }
    assert.ok(!calls.some((argv) => argv.includes("nodes")), "nodes are cluster-wide: read only with all namespaces");
    const all: string[][] = [];
    await diagnose(fakeRead({}, all), { allNamespaces: true });
    assert.equal(all.length, 6);
    assert.deepEqual(all.find((a) => a[2] === NODES), ["kubectl", "get", "nodes", "-o", "json"]);
    assert.ok(all.filter((a) => a[2] !== NODES).every((a) => a.at(-1) === "-A"));
  });

  it("tells kinds the cluster does not serve from sources it could not read", async () => {
    const report = await diagnose(
      fakeRead({
        [HELMRELEASES]: { code: 1, stdout: "", stderr: 'error: the server doesn\'t have a resource type "helmreleases"' },
        [KUSTOMIZATIONS]: { code: 1, stdout: "", stderr: "error: You must be logged in to the server (Unauthorized)\nmore" },
        [EVENTS]: new Error("policy refused the lookup"),
        [PVCS]: { code: null, stdout: "", stderr: "" },
        [WORKLOADS]: [crashing("prod", "api-1")],
      }),
      { allNamespaces: true },
    );
    assert.deepEqual(report.notServed, ["helmreleases"]);
    assert.deepEqual(report.unavailable, [
      { source: "warning events", reason: '"policy refused the lookup"' },
      { source: "persistentvolumeclaims", reason: '"exit signal"' },
      { source: "kustomizations", reason: '"error: You must be logged in to the server (Unauthorized)"' },
    ]);
    assert.equal(report.findings.length, 1, "what could be read is still reported");
    assert.match(renderHealth(report), /could not read kustomizations: "error: You must be logged in/);
  });

  it("fits the whole answer, text and JSON, in the budget, most severe first, and counts the rest", async () => {
    const items = [
      ...Array.from({ length: 40 }, (_, i) => pod("shop", `idle-${i}`, { containers: [{ name: "a", ready: true, running: true, restarts: 9 }] })),
      ...Array.from({ length: 60 }, (_, i) => pod("shop", `pending-${i}`, { phase: "Pending", containers: [{ name: "a" }], conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/9 nodes are available: 9 Insufficient cpu." }] })),
      ...Array.from({ length: 30 }, (_, i) => crashing("prod", `api-${i}`)),
      deployment("prod", "checkout", { replicas: 4, updated: 2, available: 3, revision: 2, progressing: { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded", message: "timed out" } }),
    ];
    const answers = { [WORKLOADS]: items, [NODES]: [node("worker-1", { unschedulable: true })], [EVENTS]: Array.from({ length: 50 }, (_, i) => warningEvent("Service", "shop", `svc-${i}`, "Failed", "no endpoints")) };
    for (const budgetTokens of [300, 800, 2000, 5000]) {
      const report = await diagnose(fakeRead(answers), { allNamespaces: true, budgetTokens });
      const text = countTokens(renderHealth(report));
      const json = countTokens(JSON.stringify(report));
      assert.ok(text <= budgetTokens && json <= budgetTokens, `budget ${budgetTokens}: text ${text}, json ${json}`);
      assert.equal(report.tokens, Math.max(text, json));
      const shown = tally(report);
      for (const s of ["critical", "warning", "info"] as const) assert.equal(shown[s] + report.omitted[s], report.totals[s], `${s} at ${budgetTokens}`);
      assert.equal(report.totals.critical, 31);
      const ranks = report.findings.map((f) => ["critical", "warning", "info"].indexOf(f.severity));
      assert.deepEqual(ranks, [...ranks].sort(), "most severe first");
      const firstOmitted = (["critical", "warning", "info"] as const).findIndex((s) => report.omitted[s] > 0);
      if (firstOmitted >= 0 && ranks.length > 0) assert.ok(Math.max(...ranks) <= firstOmitted, "nothing less severe is shown while something more severe is left out");
      if (budgetTokens >= 2000) assert.ok(report.findings.length >= 10);
      if (report.omitted.critical + report.omitted.warning + report.omitted.info > 0) assert.match(renderHealth(report), /^… \d+ more findings? not shown \(/m);
    }
  });

  it("asks the policy about each fix: a denied fix is left out, a confirmed one says so", async () => {
    const answers = {
      [WORKLOADS]: [deployment("prod", "checkout", { replicas: 2, updated: 1, available: 1, revision: 3, progressing: { type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" } })],
      [NODES]: [node("worker-3", { unschedulable: true })],
    };
    const asked: string[] = [];
    const report = await diagnose(fakeRead(answers), { allNamespaces: true }, {
      decide: async (op) => {
        asked.push(op.cardId);
        return op.cardId === "deployment-rollout-undo" ? "deny" : "confirm";
      },
    });
    assert.deepEqual(asked.sort(), ["deployment-rollout-undo", "node-uncordon"]);
    const byKind = new Map(report.findings.map((f) => [f.object.kind, f]));
    assert.equal(byKind.get("Deployment")?.fix, undefined);
    assert.equal(byKind.get("Deployment")?.next?.cardId, "deployment-rollout-stuck-diagnose");
    assert.equal(byKind.get("Node")?.fix?.decision, "confirm");
    assert.match(renderHealth(report), /fix \(changes the cluster: ask the user first; policy asks for confirmation\): node-uncordon/);
    assert.doesNotThrow(() => HealthReportSchema.parse(JSON.parse(JSON.stringify(report))), "the declared output schema describes the report");
  });

  it("says so when all is well", async () => {
    const report = await diagnose(fakeRead({ [WORKLOADS]: [pod("shop", "web-1")] }), { namespace: "shop" });
    assert.match(renderHealth(report), /^Health of namespace shop: no problems found\. Checked 1 pods/);
  });
});

function tally(report: HealthReport): Record<"critical" | "warning" | "info", number> {
  const out = { critical: 0, warning: 0, info: 0 };
  for (const f of report.findings) out[f.severity]++;
  return out;
}
