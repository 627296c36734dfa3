import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { percentile, summarize } from "../../bench/stats.js";

describe("bench percentiles", () => {
  it("interpolates between closest ranks (R-7)", () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    assert.equal(percentile(sorted, 50), 5.5);
    assert.equal(percentile(sorted, 0), 1);
    assert.equal(percentile(sorted, 100), 10);
    assert.ok(Math.abs(percentile(sorted, 95) - 9.55) < 1e-9);
    assert.ok(Math.abs(percentile(sorted, 99) - 9.91) < 1e-9);
  });

  it("summarizes unsorted samples without changing them", () => {
    const samples = [5, 1, 4, 2, 3];
    const summary = summarize(samples);
    assert.deepEqual(samples, [5, 1, 4, 2, 3]);
    assert.equal(summary.n, 5);
    assert.equal(summary.p50, 3);
    assert.equal(summary.min, 1);
    assert.equal(summary.max, 5);
    assert.equal(summary.mean, 3);
  });

  it("refuses an empty sample instead of reporting NaN", () => {
    assert.throws(() => summarize([]), RangeError);
    assert.throws(() => percentile([], 50), RangeError);
  });
});
