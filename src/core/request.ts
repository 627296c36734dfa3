import { z } from "zod";
import { INTENTS, RESOURCES } from "../cards/vocabulary.js";
import { isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector } from "../cards/validators.js";

const namespace = z
  .string()
  .refine(isDns1123Label, "must be a DNS-1123 label: lowercase letters, digits and '-', at most 63 characters");
const objectName = z
  .string()
  .refine(isDns1123Subdomain, "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', at most 253 characters");
const selector = z
  .string()
  .refine(isLabelSelector, "must be a label selector such as app=web or tier in (api,web)");
const duration = z.string().refine(isDuration, "must be a duration such as 30s, 5m or 1h");

/** Card parameters a request may set beyond name/namespace/selector; each card declares which it uses. */
export const RequestParamsSchema = z
  .object({
    replicas: z.number().int().min(0).max(1000),
    tail: z.number().int().min(1).max(100_000),
    since: duration,
    container: namespace,
    previous: z.boolean(),
    timeout: duration,
    revision: z.number().int().min(1).max(1_000_000),
    phase: z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]),
    suffix: namespace,
    kind: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, "must be a lowercase kind name"),
  })
  .partial()
  .strict();
export type RequestParams = z.infer<typeof RequestParamsSchema>;

export const ConstraintsSchema = z
  .object({
    dryRun: z.boolean().default(false).describe("Run with --dry-run=server where kubectl supports it; nothing changes."),
    confirm: z
      .boolean()
      .default(false)
      .describe("true means the user approved this operation; required for risky operations."),
  })
  .strict();

export const ExecRequestSchema = z
  .object({
    intent: z.enum(INTENTS).optional().describe("What to do, e.g. restart, status, logs, scale."),
    resource: z.enum(RESOURCES).optional().describe("The kind of object, e.g. deployment, pod, node."),
    namespace: namespace.optional().describe("Kubernetes namespace of the object."),
    name: objectName.optional().describe("Name of the object."),
    selector: selector.optional().describe("Label selector, e.g. app=web."),
    goal: z.string().trim().min(1).max(2000).optional().describe("Free-text goal, used when intent/resource are absent."),
    params: RequestParamsSchema.optional(),
    constraints: ConstraintsSchema.default({ dryRun: false, confirm: false }),
  })
  .strict()
  .superRefine((request, ctx) => {
    if (request.goal !== undefined) return;
    for (const field of ["intent", "resource"] as const) {
      if (request[field] === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is required unless a goal is given` });
      }
    }
  });
export type ExecRequest = z.infer<typeof ExecRequestSchema>;
export type ExecRequestInput = z.input<typeof ExecRequestSchema>;
