import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { HealthReportSchema, renderHealth } from "../../src/health/index.js";
import type { HealthReport } from "../../src/health/index.js";
import { countTokens } from "../../src/tokens.js";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

// Every failure the fixture plants: object, problem, the next card, and the fix card (if the policy allows one).
const PLANTED: [string, string, string, string | undefined][] = [
  ["Deployment prod/checkout", "ProgressDeadlineExceeded", "deployment-rollout-stuck-diagnose", undefined /* undo is denied in prod */],
  ["Deployment ops/report-builder", "ProgressDeadlineExceeded", "deployment-rollout-stuck-diagnose", undefined /* one revision: nothing to undo */],
  ["Deployment streaming/stream-analytics", "ProgressDeadlineExceeded", "deployment-rollout-stuck-diagnose", undefined],
  ["Pod prod/api-5f7c8d-abcde", "CrashLoopBackOff", "pod-crashloop-diagnose", undefined],
  ["Pod shop/web-0", "CrashLoopBackOff", "pod-crashloop-diagnose", undefined],
  ["Pod shop/web-7d4b9c-x2x9q", "ImagePullBackOff", "pod-imagepull-diagnose", undefined],
  ["Pod prod/checkout-*", "ImagePullBackOff", "pod-imagepull-diagnose", undefined],
  ["Pod ops/report-builder-*", "OOMKilled", "pod-crashloop-diagnose", undefined],
  ["Pod streaming/stream-analytics-*", "Unschedulable", "pod-describe", undefined],
  ["Job batch/import-orders", "BackoffLimitExceeded", "pod-logs", undefined],
  ["PersistentVolumeClaim dev/scratch", "Pending", "events-for-object", undefined],
  ["Node worker-7", "Cordoned", "node-describe", "node-uncordon"],
  ["Kustomization ops/monitoring-stack", "Suspended", "kustomization-get-kubectl", "kustomization-resume-kubectl"],
  ["Kustomization ops/tenants", "ArtifactFailed", "kustomization-get-kubectl", undefined],
];

const label = (f: HealthReport["findings"][number]): string => `${f.object.kind} ${f.object.namespace ? `${f.object.namespace}/` : ""}${f.object.name}`;
const matches = (pattern: string, value: string): boolean => (pattern.endsWith("*") ? value.startsWith(pattern.slice(0, -1)) : value === pattern);

describe("health against the sandbox, as the runtime runs it: the gate's policy-checked reads, the real kubectl", () => {
  let h: Harness;
  let report: HealthReport;

  before(async () => {
    h = await startHarness();
    report = await h.runtime.health({ allNamespaces: true });
  });
  after(async () => {
    await h.close();
  });

  it("finds every planted failure, and nothing else needing attention, in one answer within the budget", () => {
    const serious = report.findings.filter((f) => f.severity !== "info");
    assert.equal(serious.length, PLANTED.length, renderHealth(report));
    for (const [object, problem, next, fix] of PLANTED) {
      const found = serious.find((f) => matches(object, label(f)) && f.problem === problem);
      assert.ok(found, `${object} ${problem} is reported\n${renderHealth(report)}`);
      assert.equal(found.next?.cardId, next, `${object}: next`);
      assert.equal(found.fix?.cardId, fix, `${object}: fix`);
    }
    assert.deepEqual(report.omitted, { critical: 0, warning: 0, info: 0 });
    assert.deepEqual(report.notServed, [], "the sandbox serves PVCs, Kustomizations and HelmReleases");
    assert.deepEqual(report.unavailable, []);
    assert.ok(countTokens(renderHealth(report)) <= 2000 && countTokens(JSON.stringify(report)) <= 2000);
    assert.deepEqual(HealthReportSchema.parse(JSON.parse(JSON.stringify(report))), JSON.parse(JSON.stringify(report)), "the declared output schema describes the report");
  });

  it("each next operation plans to the card it names, and the read-only ones run", async () => {
    for (const f of report.findings) {
      for (const op of [f.next, f.fix]) {
        if (!op) continue;
        const planned = await h.runtime.plan(op.request);
        assert.equal(planned.plan?.cardId, op.cardId, `${label(f)}: ${JSON.stringify(op.request)} → ${planned.status} ${planned.message}`);
        assert.equal(op.changesCluster, planned.validation?.readOnly === false);
        if (op.changesCluster) assert.equal(op.decision, planned.status === "awaiting_confirmation" ? "confirm" : "allow");
      }
      if (!f.next) continue;
      const ran = await h.runtime.exec(f.next.request);
      if (f.problem === "ProgressDeadlineExceeded") {
        // The rollout's first step reports the stuck rollout by failing, as kubectl does; the diagnostic reads after it still run.
        assert.equal(ran.status, "failed", `${label(f)}: ${ran.message}`);
        assert.match(ran.steps[0]?.stderr ?? "", /exceeded its progress deadline/);
        assert.ok(ran.steps.length > 1 && ran.steps.slice(1).every((s) => s.code === 0), `${label(f)}: the reads after it ran`);
      } else {
        assert.equal(ran.status, "succeeded", `${label(f)}: ${f.next.cardId} ${ran.message}\n${ran.stderr}`);
      }
    }
  });

  it("a namespace scan sees only that namespace", async () => {
    const shop = await h.runtime.health({ namespace: "shop" });
    assert.deepEqual(shop.findings.filter((f) => f.severity !== "info").map(label).sort(), ["Pod shop/web-0", "Pod shop/web-7d4b9c-x2x9q"]);
    assert.equal(shop.checked["nodes"], undefined);
  });
});
