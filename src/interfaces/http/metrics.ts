import { Registry, collectDefaultMetrics } from "prom-client";
import type { ExecResponse } from "../../core/response.js";
import { CellCounter, CellHistogram } from "./metric-cells.js";

/** Seconds; fine enough below a millisecond to read p50/p95/p99 of sub-millisecond stages. */
const STAGE_BUCKETS = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
  2.5, 5, 10, 30,
];

export interface Metrics {
  readonly registry: Registry;
  observe(response: ExecResponse): void;
  observeRequest(route: string, statusCode: number, seconds: number): void;
}

/** Status codes as label values, made once each. */
const codeLabels = new Map<number, string>();
function codeLabel(statusCode: number): string {
  let label = codeLabels.get(statusCode);
  if (label === undefined) codeLabels.set(statusCode, (label = String(statusCode)));
  return label;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Default metrics keep their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes …) under the one prefix.
  collectDefaultMetrics({ register: registry, prefix: "ragk8s_" });
  const stage = new CellHistogram({
    name: "ragk8s_stage_duration_seconds",
    help: "Time spent per pipeline stage (plan is labelled by planner).",
    labelNames: ["stage", "planner"],
    buckets: STAGE_BUCKETS,
    registry,
  });
  const total = new CellHistogram({
    name: "ragk8s_operation_duration_seconds",
    help: "End-to-end time of one k8s_exec/plan operation.",
    labelNames: ["status"],
    buckets: STAGE_BUCKETS,
    registry,
  });
  const operations = new CellCounter({
    name: "ragk8s_operations_total",
    help: "Operations by status, policy decision, risk and intent.",
    labelNames: ["status", "decision", "risk", "intent"],
    registry,
  });
  const cache = new CellCounter({
    name: "ragk8s_plan_cache_total",
    help: "Plan cache lookups by result.",
    labelNames: ["result"],
    registry,
  });
  const tokens = new CellCounter({
    name: "ragk8s_llm_tokens_total",
    help: "LLM tokens by kind (prompt, completion).",
    labelNames: ["kind"],
    registry,
  });
  const http = new CellHistogram({
    name: "ragk8s_http_request_duration_seconds",
    help: "HTTP request time by route and status code.",
    labelNames: ["route", "code"],
    buckets: STAGE_BUCKETS,
    registry,
  });
  return {
    registry,
    observe(response) {
      const t = response.timings;
      const planner = response.plan?.planner ?? "none";
      stage.observe(t.retrieveMs / 1000, "retrieve", planner);
      stage.observe(t.planMs / 1000, "plan", planner);
      stage.observe(t.validateMs / 1000, "validate", planner);
      if (response.executed) stage.observe(t.execMs / 1000, "exec", planner);
      total.observe(t.totalMs / 1000, response.status);
      operations.inc(1, response.status, response.decision ?? "none", response.risk ?? "none", response.plan?.intent ?? "none");
      if (response.cache) cache.inc(1, response.cache);
      if (response.llm) {
        tokens.inc(response.llm.promptTokens, "prompt");
        tokens.inc(response.llm.completionTokens, "completion");
      }
    },
    observeRequest(route, statusCode, seconds) {
      http.observe(seconds, route, codeLabel(statusCode));
    },
  };
}
