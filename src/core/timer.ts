import { performance } from "node:perf_hooks";
import type { Timings } from "./response.js";

type Stage = Exclude<keyof Timings, "totalMs">;

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** Accumulates per-stage wall time for one operation. */
export class StageTimer {
  private readonly start = performance.now();
  private readonly spent: Record<Stage, number> = { retrieveMs: 0, planMs: 0, resolveMs: 0, validateMs: 0, execMs: 0 };

  time<T>(stage: Stage, work: () => T): T {
    const begin = performance.now();
    try {
      return work();
    } finally {
      this.spent[stage] += performance.now() - begin;
    }
  }

  async timeAsync<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
    const begin = performance.now();
    try {
      return await work();
    } finally {
      this.spent[stage] += performance.now() - begin;
    }
  }

  timings(): Timings {
    return {
      retrieveMs: round(this.spent.retrieveMs),
      planMs: round(this.spent.planMs),
      resolveMs: round(this.spent.resolveMs),
      validateMs: round(this.spent.validateMs),
      execMs: round(this.spent.execMs),
      totalMs: round(performance.now() - this.start),
    };
  }
}
