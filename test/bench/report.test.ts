import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatNumber, renderMarkdown, verdict } from "../../bench/report.js";
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

  it("keeps few significant digits", () => {
    assert.equal(formatNumber(12_345.6), "12,346");
    assert.equal(formatNumber(123.4), "123");
    assert.equal(formatNumber(0.0123), "0.012");
    assert.equal(formatNumber(0.00123), "0.0012");
  });
});
