import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ExecResponse } from "../../core/response.js";

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

export function createMetrics(): Metrics {
  const registry = new Registry();
  // Default metrics keep their standard names (process_cpu_seconds_total, nodejs_heap_size_used_bytes …) under the one prefix.
  collectDefaultMetrics({ register: registry, prefix: "ragk8s_" });
  const stage = new Histogram({
    name: "ragk8s_stage_duration_seconds",
    help: "Time spent per pipeline stage (plan is labelled by planner).",
    labelNames: ["stage", "planner"] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const total = new Histogram({
    name: "ragk8s_operation_duration_seconds",
    help: "End-to-end time of one k8s_exec/plan operation.",
    labelNames: ["status"] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  const operations = new Counter({
    name: "ragk8s_operations_total",
    help: "Operations by status, policy decision, risk and intent.",
    labelNames: ["status", "decision", "risk", "intent"] as const,
    registers: [registry],
  });
  const cache = new Counter({
    name: "ragk8s_plan_cache_total",
    help: "Plan cache lookups by result.",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const tokens = new Counter({
    name: "ragk8s_llm_tokens_total",
    help: "LLM tokens by kind (prompt, completion).",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  const http = new Histogram({
    name: "ragk8s_http_request_duration_seconds",
    help: "HTTP request time by route and status code.",
    labelNames: ["route", "code"] as const,
    buckets: STAGE_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    observe(response) {
      const t = response.timings;
      const planner = response.plan?.planner ?? "none";
      stage.observe({ stage: "retrieve", planner }, t.retrieveMs / 1000);
      stage.observe({ stage: "plan", planner }, t.planMs / 1000);
      stage.observe({ stage: "validate", planner }, t.validateMs / 1000);
      if (response.executed) stage.observe({ stage: "exec", planner }, t.execMs / 1000);
      total.observe({ status: response.status }, t.totalMs / 1000);
      operations.inc({
        status: response.status,
        decision: response.decision ?? "none",
        risk: response.risk ?? "none",
        intent: response.plan?.intent ?? "none",
      });
      if (response.cache) cache.inc({ result: response.cache });
      if (response.llm) {
        tokens.inc({ kind: "prompt" }, response.llm.promptTokens);
        tokens.inc({ kind: "completion" }, response.llm.completionTokens);
      }
    },
    observeRequest(route, statusCode, seconds) {
      http.observe({ route, code: String(statusCode) }, seconds);
    },
  };
}
