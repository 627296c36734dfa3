/** Distribution of one measured series; every figure in the report comes from one of these, never a single run. */
export interface Summary {
  readonly n: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** Linear interpolation between closest ranks (the "R-7" definition numpy and spreadsheets use). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError("percentile of an empty sample");
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] as number;
  const b = sorted[high] as number;
  return a + (b - a) * (rank - low);
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("cannot summarize an empty sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
    mean: total / sorted.length,
  };
}

/** Milliseconds per call of a synchronous function, one sample per call, after `warmup` unmeasured calls. */
export function timeSync(iterations: number, fn: (i: number) => unknown, warmup = Math.min(200, iterations)): number[] {
  for (let i = 0; i < warmup; i++) fn(i);
  const samples = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn(i);
    samples[i] = performance.now() - start;
  }
  return samples;
}

/** The same for an async function; calls run one after another, never overlapping. */
export async function timeAsync(iterations: number, fn: (i: number) => Promise<unknown>, warmup = Math.min(50, iterations)): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn(i);
    samples[i] = performance.now() - start;
  }
  return samples;
}
