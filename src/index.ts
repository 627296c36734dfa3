/**
 * rag-k8s as a library: `createRagK8s` loads cards, policy and retrieval once and returns
 * `{ exec, plan, health, retrieve, validate, close }`. It is the app root (src/app) with configuration loaded from
 * rag-k8s.config.yaml, .env and RAGK8S_* variables, plus the overrides given here.
 */
import { createRagK8s as createRuntime } from "./app/runtime.js";
import type { RagK8s, RuntimeOptions } from "./app/runtime.js";
import { loadConfig } from "./config/index.js";
import type { Config, DeepPartial } from "./config/index.js";

export interface CreateRagK8sOptions extends Omit<RuntimeOptions, "config"> {
  /** Configuration overrides on top of rag-k8s.config.yaml, .env and RAGK8S_* variables. */
  readonly config?: DeepPartial<Config>;
  /** Folder to look for rag-k8s.config.yaml and .env in (default: the current directory). */
  readonly cwd?: string;
}

export async function createRagK8s(options: CreateRagK8sOptions = {}): Promise<RagK8s> {
  const { config: overrides, cwd, ...runtime } = options;
  const { config } = loadConfig({ ...(cwd ? { cwd } : {}), ...(overrides ? { overrides } : {}) });
  return createRuntime({ ...runtime, config });
}

export type { Config, RagK8s };
export type { Executor, ExecResult } from "./executor/index.js";
export type { AuditLog, AuditRecord } from "./audit/index.js";
export type { OpenTarget, Target } from "./app/target.js";
export type { ExecRequest, ExecRequestInput } from "./core/request.js";
export { ExecRequestSchema } from "./core/request.js";
export type { ExecAnswer, ExecResponse, ExecStatus, StepResult, StepSummary, Timings } from "./core/response.js";
export type { OperationOptions } from "./core/pipeline.js";
export type { HealthScope } from "./core/health-scan.js";
export type { Finding, HealthReport, NextOperation } from "./health/index.js";
export { HealthReportSchema, renderHealth } from "./health/index.js";
export { RagK8sError, RequestValidationError } from "./core/errors.js";
export type { ErrorKind } from "./core/errors.js";
export type { Plan } from "./planner/index.js";
