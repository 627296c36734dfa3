import type { Row, SectionResult, Series } from "./report.js";
import { summarize } from "./stats.js";

export interface BenchContext {
  readonly quick: boolean;
  /** Progress lines for the person running the bench (stderr); not part of the report. */
  log(message: string): void;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  run(ctx: BenchContext): Promise<Omit<SectionResult, "id" | "title" | "wallMs">>;
}

/** Collects a section's rows, series and notes as it measures. */
export class Findings {
  readonly rows: Row[] = [];
  readonly series: Series[] = [];
  readonly notes: string[] = [];

  /** Records a distribution and returns its summary so rows can quote its percentiles. */
  measure(label: string, samples: readonly number[], unit = "ms"): Series {
    const entry = { label, unit, ...summarize(samples) };
    this.series.push(entry);
    return entry;
  }

  row(row: Row): void {
    this.rows.push(row);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  result(skipped?: string): Omit<SectionResult, "id" | "title" | "wallMs"> {
    return { rows: this.rows, series: this.series, notes: this.notes, ...(skipped ? { skipped } : {}) };
  }
}
