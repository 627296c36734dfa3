import { z } from "zod";
import { isDns1123Label } from "../../cards/validators.js";
import { HealthReportSchema } from "../../health/index.js";
import type { HealthReport } from "../../health/index.js";
import { defineOperation } from "./types.js";

export const HealthInputSchema = z
  .object({
    namespace: z.string().max(63).refine(isDns1123Label, "must be a DNS-1123 label").optional().describe("scan this namespace"),
    allNamespaces: z.boolean().optional().describe("scan every namespace and the nodes"),
    budgetTokens: z.number().int().min(300).max(100_000).optional().describe("token budget of the answer (default 2000); findings that do not fit are counted"),
  })
  .strict()
  .refine((input) => (input.namespace === undefined) === (input.allNamespaces === true), {
    path: ["namespace"],
    message: "give either namespace or allNamespaces: true",
  });
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
