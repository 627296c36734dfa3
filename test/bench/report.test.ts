import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatNumber, mergeReports, renderMarkdown, verdict } from "../../bench/report.js";
import type { BenchReport } from "../../bench/report.js";

const report: BenchReport = {
  version: 1,
  mode: "full",
  complete: true,
  startedAt: "2026-01-01T00:00:00.000Z",
  machine: { cpuModel: "Test CPU", cores: 2, memoryGiB: 8, os: "Linux", node: "v20.0.0", commit: "abc1234", dirty: false, loadStart: [1, 1, 1], loadEnd: [1, 1, 1] },
  totalMs: 1_000,
  sections: [
    {
      id: "plan",
      title: "Plan",
      rows: [
        { label: "p50", value: 1, unit: "ms", target: { op: "<=", value: 2 } },
        { label: "p99", value: 15, unit: "ms", target: { op: "<=", value: 10 } },
        { label: "not taken", value: null, unit: "ms", target: { op: "<=", value: 5 } },
      ],
      series: [{ label: "plan | warm", unit: "ms", n: 3, p50: 1, p95: 2, p99: 3, min: 0.5, max: 3, mean: 1.5 }],
      notes: ["a note"],
      wallMs: 500,
    },
    { id: "llm", title: "LLM", rows: [], series: [], notes: [], skipped: "no model", wallMs: 1 },
  ],
};

describe("bench report", () => {
  it("judges rows against their targets in both directions", () => {
    assert.equal(verdict({ label: "a", value: 5_000, unit: "req/s", target: { op: ">=", value: 5_000 } }), "pass");
    assert.equal(verdict({ label: "a", value: 4_999, unit: "req/s", target: { op: ">=", value: 5_000 } }), "miss");
    assert.equal(verdict({ label: "a", value: 2, unit: "ms", target: { op: "<=", value: 2 } }), "pass");
    assert.equal(verdict({ label: "a", value: null, unit: "ms", target: { op: "<=", value: 2 } }), "n/a");
    assert.equal(verdict({ label: "a", value: 2, unit: "ms" }), "n/a");
  });

  it("renders targets, misses with their factor, series, skips and the machine", () => {
    const md = renderMarkdown(report, "bench/results/x.json");
    assert.match(md, /CPU: Test CPU, 2 cores/);
    assert.match(md, /\| Plan: p50 \| ≤ 2\.00 ms \| 1\.00 ms \| pass \|/);
    assert.match(md, /\| p99 \| ≤ 10\.0 ms \| 15\.0 ms \| \*\*miss\*\* \(1\.50× the target\) \|/);
    assert.match(md, /\| not taken \| ≤ 5\.00 ms \| not measured \| {2}\|/);
    assert.match(md, /\| plan \\\| warm \| ms \| 3 \|/);
    assert.match(md, /## 2\. LLM\n\nSkipped: no model/);
  });

  it("lays a later partial run's sections over a full run's, each dated with its own run", () => {
    const later: BenchReport = {
      ...report,
      mode: "quick",
      complete: false,
      startedAt: "2026-02-02T00:00:00.000Z",
      machine: { ...report.machine, commit: "def5678", loadStart: [9, 9, 9], loadEnd: [8, 8, 8] },
      sections: [
        { id: "llm", title: "LLM", rows: [{ label: "plan p50", value: 3, unit: "ms" }], series: [], notes: [], wallMs: 2 },
        { id: "faces", title: "Faces", rows: [{ label: "read p50", value: 12, unit: "ms", target: { op: "<=", value: 10 } }], series: [], notes: [], wallMs: 3 },
      ],
    };
    const merged = mergeReports(report, later);
    assert.deepEqual(merged.sections.map((s) => s.id), ["plan", "llm", "faces"]);
    assert.equal(merged.sections[0]?.run, undefined);
    assert.equal(merged.sections[1]?.skipped, undefined, "the later llm section replaced the skipped one");
    assert.equal(merged.sections[2]?.run?.startedAt, "2026-02-02T00:00:00.000Z");
    const md = renderMarkdown(merged, "a.json,b.json");
    assert.match(md, /from `a\.json` \+ `b\.json`/);
    assert.match(md, /## 3\. Faces\n\nMeasured in a separate quick run: 2026-02-02T00:00:00\.000Z; Test CPU, 2 cores; commit def5678; load average at start \/ end 9\.00, 9\.00, 9\.00 \/ 8\.00/);
    assert.match(md, /\| Faces: read p50 \| ≤ 10\.0 ms \| 12\.0 ms \| \*\*miss\*\*/);
    assert.doesNotMatch(md, /## 1\. Plan\n\nMeasured/);
  });

  it("keeps few significant digits", () => {
    assert.equal(formatNumber(12_345.6), "12,346");
    assert.equal(formatNumber(123.4), "123");
    assert.equal(formatNumber(0.0123), "0.012");
    assert.equal(formatNumber(0.00123), "0.0012");
  });
});
