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

/**
 * A labelled metric's child for each label set, looked up by a joined key: prom-client hashes the label
 * object on every observe, a cost every request paid several times.
 */
function children<C>(make: (labels: readonly string[]) => C): (...labels: string[]) => C {
  const made = new Map<string, C>();
  return (...labels) => {
    const key = labels.join("\u0000");
    let child = made.get(key);
    if (child === undefined) {
      child = make(labels);
      made.set(key, child);
    }
    return child;
  };
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
  const stageOf = children(([name, planner]) => stage.labels({ stage: name as string, planner: planner as string }));
  const totalOf = children(([status]) => total.labels({ status: status as string }));
  const operationsOf = children(([status, decision, risk, intent]) => operations.labels({ status: status as string, decision: decision as string, risk: risk as string, intent: intent as string }));
  const httpOf = children(([route, code]) => http.labels({ route: route as string, code: code as string }));
  return {
    registry,
    observe(response) {
      const t = response.timings;
      const planner = response.plan?.planner ?? "none";
      stageOf("retrieve", planner).observe(t.retrieveMs / 1000);
      stageOf("plan", planner).observe(t.planMs / 1000);
      stageOf("validate", planner).observe(t.validateMs / 1000);
      if (response.executed) stageOf("exec", planner).observe(t.execMs / 1000);
      totalOf(response.status).observe(t.totalMs / 1000);
      operationsOf(response.status, response.decision ?? "none", response.risk ?? "none", response.plan?.intent ?? "none").inc();
      if (response.cache) cache.inc({ result: response.cache });
      if (response.llm) {
        tokens.inc({ kind: "prompt" }, response.llm.promptTokens);
        tokens.inc({ kind: "completion" }, response.llm.completionTokens);
      }
    },
    observeRequest(route, statusCode, seconds) {
      httpOf(route, String(statusCode)).observe(seconds);
    },
  };
}
