import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Counter, Histogram, Registry } from "prom-client";
import { CellCounter, CellHistogram } from "../../../src/interfaces/http/metric-cells.js";

const BUCKETS = [0.00001, 0.001, 0.1, 1, 30];

/** Label values in labelNames order, and the value observed (or added). */
type Row = readonly [readonly string[], number];

const HISTOGRAM_ROWS: readonly Row[] = [
  [["plan", "template"], 0.0005],
  [["validate", "template"], 0.00001], // exactly on a bound: counted in that bucket
  [["plan", "template"], 0],
  [["plan", "llm"], 31], // above the last bound: only in +Inf
  [["validate", "template"], 0.25],
  [['quote " back \\ slash', "new\nline"], 1], // escaped in the text exposition
  [["plan", "template"], 1e-7],
];

const COUNTER_ROWS: readonly Row[] = [
  [["planned", "allow", "low", "restart"], 1],
  [["awaiting_confirmation", "confirm", "medium", "scale"], 1],
  [["planned", "allow", "low", "restart"], 1],
  [["denied", "deny", "high", "none"], 0], // a zero still creates the label set
  [["planned", "allow", "low", "restart"], 2.5],
];

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  return Object.fromEntries(names.map((name, i) => [name, values[i] as string]));
}

describe("metric cells expose exactly what prom-client's own metrics expose", () => {
  it("histograms: same text and JSON for the same observations, label sets in first-seen order", async () => {
    const labelNames = ["stage", "planner"];
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: "t_seconds", help: "h", labelNames, buckets: BUCKETS, registers: [theirs] });
    const cells = new CellHistogram({ name: "t_seconds", help: "h", labelNames, buckets: BUCKETS, registry: ours });
    assert.equal(await ours.metrics(), await theirs.metrics(), "no observations yet");
    for (const [values, value] of HISTOGRAM_ROWS) {
      reference.observe(labelsOf(labelNames, values), value);
      cells.observe(value, values[0] as string, values[1]);
      assert.equal(await ours.metrics(), await theirs.metrics(), `after ${JSON.stringify(values)} ${value}`);
    }
    assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
  });

  it("counters: same text and JSON for the same increments", async () => {
    const labelNames = ["status", "decision", "risk", "intent"];
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Counter({ name: "t_total", help: "h", labelNames, registers: [theirs] });
    const cells = new CellCounter({ name: "t_total", help: "h", labelNames, registry: ours });
    for (const [values, by] of COUNTER_ROWS) {
      reference.inc(labelsOf(labelNames, values), by);
      cells.inc(by, values[0] as string, values[1], values[2], values[3]);
    }
    assert.equal(await ours.metrics(), await theirs.metrics());
    assert.deepEqual(await ours.getMetricsAsJSON(), await theirs.getMetricsAsJSON());
  });

  it("refuse what prom-client refuses: a non-finite observation, a counter going down, a name registered twice", () => {
    const registry = new Registry();
    const histogram = new CellHistogram({ name: "x_seconds", help: "h", labelNames: ["a"], buckets: BUCKETS, registry });
    assert.throws(() => histogram.observe(Number.NaN, "v"), RangeError);
    assert.throws(() => histogram.observe(Number.POSITIVE_INFINITY, "v"), RangeError);
    const counter = new CellCounter({ name: "x_total", help: "h", labelNames: ["a"], registry });
    assert.throws(() => counter.inc(-1, "v"), RangeError);
    assert.throws(() => counter.inc(Number.NaN, "v"), RangeError);
    assert.throws(() => new CellCounter({ name: "x_total", help: "other", labelNames: ["a"], registry }), /already been registered/);
  });
});
