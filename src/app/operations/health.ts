import type { z } from "zod";
import { HealthScopeSchema } from "../../core/health-scan.js";
import { HealthReportSchema } from "../../health/index.js";
import type { HealthReport } from "../../health/index.js";
import { defineOperation } from "./types.js";

/** The health operation's input: the scan's scope, validated once for every face (see core/health-scan.ts). */
export const HealthInputSchema = HealthScopeSchema;
export type HealthInput = z.output<typeof HealthInputSchema>;

export const healthOperation = defineOperation<typeof HealthInputSchema, HealthReport, "health">({
  name: "health",
  title: "Scan a namespace or the cluster for problems",
  description:
    "What is wrong in a namespace or the whole cluster, read-only, with a handful of list calls: crash-looping, image-pull, pending, " +
    "OOMKilled and not-ready pods; unavailable or stuck workloads; failed jobs; pending PVCs; nodes not ready, under pressure or cordoned; " +
    "Flux objects not ready or suspended; warning events. Each finding has evidence and a next request to pass to k8s_exec as is " +
    "(a fix needs the user's approval). The answer fits budgetTokens.",
  input: HealthInputSchema,
  output: HealthReportSchema as unknown as z.ZodType<HealthReport>,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  http: { method: "POST", path: "/k8s-health" },
  mcp: { tool: "k8s_health" },
  run: (runtime, input, context) => runtime.health(input, context),
});
