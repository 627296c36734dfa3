import type { Registry } from "prom-client";

/**
 * Counters and histograms for the request path, exposed through a prom-client Registry exactly as prom-client's
 * own Counter and Histogram expose them (same text, same JSON, label sets in the order they first appeared),
 * but updated without what prom-client does at every observation (a labels object, its validation, a hash
 * string built from it): a label set is found through one Map per label, so an observation allocates nothing.
 * Every HTTP request makes several observations, and in prom-client they were a tenth of a /plan's CPU.
 */

type Labels = Record<string, string>;

/** At most this many labels, passed positionally (in labelNames order). */
const MAX_LABELS = 4;

interface MetricConfig {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly registry: Registry;
}

/** Label values → cell, one Map level per label; cells in the order they were created (prom-client's order). */
class Cells<C> {
  private readonly root = new Map<string, unknown>();
  readonly inOrder: C[] = [];

  constructor(
    private readonly labelNames: readonly string[],
    private readonly create: (labels: Labels) => C,
  ) {
    if (labelNames.length < 1 || labelNames.length > MAX_LABELS) throw new RangeError(`1 to ${MAX_LABELS} label names, got ${labelNames.length}`);
  }

  find(a: string, b?: string, c?: string, d?: string): C {
    const last = this.labelNames.length - 1;
    let level = this.root;
    for (let i = 0; i < last; i++) {
      const value = i === 0 ? a : i === 1 ? b : c;
      let next = level.get(value as string) as Map<string, unknown> | undefined;
      if (next === undefined) level.set(value as string, (next = new Map()));
      level = next;
    }
    const value = (last === 0 ? a : last === 1 ? b : last === 2 ? c : d) as string;
    let cell = level.get(value) as C | undefined;
    if (cell === undefined) {
      const values = [a, b, c, d];
      const labels: Labels = {};
      this.labelNames.forEach((name, i) => (labels[name] = values[i] as string));
      cell = this.create(labels);
      level.set(value, cell);
      this.inOrder.push(cell);
    }
    return cell;
  }
}

/** What prom-client's Registry reads from a metric (see its getMetricsAsString and getMetricsAsJSON). */
abstract class RegisteredMetric {
  readonly aggregator = "sum";
  name: string;
  readonly help: string;
  abstract readonly type: "counter" | "histogram";

  constructor(config: MetricConfig) {
    this.name = config.name;
    this.help = config.help;
    config.registry.registerMetric(this as never);
  }
}

interface CounterCell {
  value: number;
  readonly labels: Labels;
}

export class CellCounter extends RegisteredMetric {
  readonly type = "counter";
  private readonly cells: Cells<CounterCell>;

  constructor(config: MetricConfig) {
    super(config);
    this.cells = new Cells(config.labelNames, (labels) => ({ value: 0, labels }));
  }

  /** Adds `by` (≥ 0, finite) under the label values, in labelNames order. */
  inc(by: number, a: string, b?: string, c?: string, d?: string): void {
    if (!(by >= 0) || !Number.isFinite(by)) throw new RangeError(`a counter only grows by a finite amount ≥ 0, got ${by}`);
    this.cells.find(a, b, c, d).value += by;
  }

  get(): Promise<{ name: string; help: string; type: "counter"; values: CounterCell[]; aggregator: string }> {
    return Promise.resolve({ help: this.help, name: this.name, type: this.type, values: [...this.cells.inOrder], aggregator: this.aggregator });
  }
}

interface HistogramCell {
  readonly labels: Labels;
  /** Observations per bucket (not cumulative), by index into the bounds. */
  readonly counts: number[];
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Labels | { le: number | string };
  sharedLabels?: Labels;
  value: number;
  metricName: string;
  exemplar?: null | undefined;
}

export class CellHistogram extends RegisteredMetric {
  readonly type = "histogram";
  private readonly cells: Cells<HistogramCell>;
  private readonly bounds: readonly number[];

  constructor(config: MetricConfig & { readonly buckets: readonly number[] }) {
    super(config);
    this.bounds = [...config.buckets];
    if (this.bounds.some((bound, i) => i > 0 && bound <= (this.bounds[i - 1] as number))) throw new RangeError("bucket bounds must increase");
    this.cells = new Cells(config.labelNames, (labels) => ({ labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 }));
  }

  /** Records `value` (finite) under the label values, in labelNames order. */
  observe(value: number, a: string, b?: string, c?: string, d?: string): void {
    if (!Number.isFinite(value)) throw new RangeError(`a histogram observes finite numbers, got ${value}`);
    const cell = this.cells.find(a, b, c, d);
    cell.sum += value;
    cell.count += 1;
    // Above the last bound: counted only in +Inf (the total count).
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) {
        (cell.counts[i] as number)++;
        break;
      }
    }
  }

  /** The text exposition's values, as prom-client's Histogram gives them: cumulative buckets, +Inf, sum, count. */
  getForPromString(): Promise<{ name: string; help: string; type: "histogram"; values: ExportedValue[]; aggregator: string }> {
    const bucket = `${this.name}_bucket`;
    const values: ExportedValue[] = [];
    for (const cell of this.cells.inOrder) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += cell.counts[i] as number;
        values.push({ labels: { le }, sharedLabels: cell.labels, value: cumulative, metricName: bucket, exemplar: null });
      });
      values.push({ labels: { le: "+Inf" }, sharedLabels: cell.labels, value: cell.count, metricName: bucket, exemplar: null });
      values.push({ labels: {}, sharedLabels: cell.labels, value: cell.sum, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: cell.labels, value: cell.count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** As getForPromString, each value's labels holding its label set after `le` (prom-client's JSON form). */
  async get(): Promise<{ name: string; help: string; type: "histogram"; values: ExportedValue[]; aggregator: string }> {
    const metric = await this.getForPromString();
    const values = metric.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
    return { ...metric, values };
  }
}
