import { z } from "zod";
import { INTENTS, RESOURCES } from "../cards/vocabulary.js";

/** The JSON shape of a HealthReport, for MCP `outputSchema` and HTTP response schemas. */
const severity = z.enum(["critical", "warning", "info"]);
const counts = z.object({ critical: z.number().int(), warning: z.number().int(), info: z.number().int() }).strict();
const operation = z
  .object({
    cardId: z.string(),
    request: z
      .object({
        intent: z.enum(INTENTS),
        resource: z.enum(RESOURCES),
        namespace: z.string().optional(),
        name: z.string().optional(),
        selector: z.string().optional(),
        goal: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .strict()
      .describe("pass as is to k8s_exec / POST /k8s-exec"),
    changesCluster: z.boolean().describe("true: ask the user before running it"),
    decision: z.enum(["allow", "confirm"]).optional(),
  })
  .strict();

export const HealthReportSchema = z
  .object({
    scope: z.string(),
    checked: z.record(z.string(), z.number().int()),
    findings: z.array(
      z
        .object({
          severity,
          object: z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() }).strict(),
          problem: z.string(),
          evidence: z.array(z.string()),
          next: operation.optional(),
          fix: operation.optional(),
        })
        .strict(),
    ),
    totals: counts,
    omitted: counts,
    unavailable: z.array(z.object({ source: z.string(), reason: z.string() }).strict()),
    notServed: z.array(z.string()),
    budgetTokens: z.number().int(),
    tokens: z.number().int(),
  })
  .strict();
