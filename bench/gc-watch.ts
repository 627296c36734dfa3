import { PerformanceObserver } from "node:perf_hooks";
import { formatNumber } from "./report.js";

/** Counts garbage-collection pauses while it is open, to tell GC tails from the code's own. */
export function watchGc(): { stop(): string } {
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push(entry.duration);
  });
  observer.observe({ entryTypes: ["gc"] });
  return {
    stop() {
      for (const entry of observer.takeRecords()) pauses.push(entry.duration);
      observer.disconnect();
      const total = pauses.reduce((sum, ms) => sum + ms, 0);
      return `${pauses.length} GC pauses, ${formatNumber(total)} ms in all, longest ${formatNumber(Math.max(0, ...pauses))} ms`;
    },
  };
}
