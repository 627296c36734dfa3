import { z } from "zod";
import { CONFIRM_TOKEN_PATTERN } from "../approval/index.js";
import { INTENTS, RESOURCES } from "../cards/vocabulary.js";
import { isDns1123Label, isDns1123Subdomain, isDuration, isLabelSelector } from "../kube/index.js";
// The tokenizer alone: the CLI loads this schema for every command, the policy engine only when it validates.
import { MAX_COMMAND_LENGTH } from "../policy/tokenize.js";

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

const paramValue = z.union([
  z.string().max(256).regex(/^[\x20-\x7e]*$/, "must be printable ASCII"),
  z.number().int().min(-1_000_000).max(1_000_000),
  z.boolean(),
]);

/**
 * Card parameters beyond name/namespace/selector. The common ones are typed here (and become CLI flags);
 * any other key is passed to the chosen card, which declares and validates its own parameters (an
 * undeclared key is rejected).
 */
export const REQUEST_PARAM_SHAPE = {
    replicas: z.number().int().min(0).max(1000).describe("replica count for scale"),
    tail: z.number().int().min(1).max(100_000).describe("log lines to return"),
    since: duration.describe("only logs newer than this"),
    container: namespace.describe("container of a multi-container pod"),
    previous: z.boolean().describe("logs of the previous (crashed) container"),
    timeout: duration.describe("how long rollout status waits"),
    revision: z.number().int().min(1).max(1_000_000).describe("revision to show (rollout history) or roll back to (rollout undo)"),
    to_revision: z.number().int().min(1).max(1_000_000).describe("revision to roll back to (rollout undo)"),
    phase: z.enum(["Pending", "Running", "Succeeded", "Failed", "Unknown"]).describe("pod phase filter"),
    suffix: z.string().regex(/^[a-z0-9]{1,4}$/, "1-4 lowercase letters or digits").describe("suffix of a re-run job's name"),
} as const;

export const RequestParamsSchema = z
  .object(REQUEST_PARAM_SHAPE)
  .partial()
  .catchall(paramValue)
  .refine((params) => Object.keys(params).length <= 16, "at most 16 parameters")
  .refine((params) => Object.keys(params).every((key) => /^[a-z][a-z0-9_]{0,31}$/.test(key)), "parameter names are lower_snake_case");
export type RequestParams = z.infer<typeof RequestParamsSchema>;

export const ConstraintsSchema = z
  .object({
    dryRun: z.boolean().default(false).describe("Run with --dry-run=server where kubectl supports it; nothing changes."),
    confirm: z
      .boolean()
      .default(false)
      .describe("true means the user approved this operation; risky operations also need the confirmToken of the awaiting_confirmation answer."),
    confirmToken: z
      .string()
      .regex(CONFIRM_TOKEN_PATTERN, "must be the confirmToken of an awaiting_confirmation response (rk1.…)")
      .optional()
      .describe("The confirmToken of the awaiting_confirmation response the user approved: runs only that plan, once, before it expires."),
  })
  .strict();

/** A kubeconfig context name as kubectl accepts one (the allow-list in kube.contexts decides which may be named). */
const contextName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@:/-]{0,252}$/, "must be a kubeconfig context name: letters, digits and . _ @ : / -");

/** Fields that describe an operation for a planner; a command or argv request names its operation itself. */
const PLANNED_FIELDS = ["intent", "resource", "name", "selector", "goal", "params"] as const;

export const ExecRequestSchema = z
  .object({
    intent: z.enum(INTENTS).optional().describe("What to do, e.g. restart, status, logs, scale."),
    resource: z.enum(RESOURCES).optional().describe("The kind of object, e.g. deployment, pod, node."),
    namespace: namespace.optional().describe("Kubernetes namespace of the object."),
    name: objectName.optional().describe("Name of the object."),
    selector: selector.optional().describe("Label selector, e.g. app=web."),
    goal: z.string().trim().min(1).max(2000).optional().describe("Free-text goal, used when intent/resource are absent."),
    command: z
      .string()
      .trim()
      .min(1)
      .max(MAX_COMMAND_LENGTH)
      .optional()
      .describe("One kubectl/flux command to run as written, e.g. kubectl get ingress -n prod -o yaml (no shell: pipes, ; and $() are refused)."),
    argv: z
      .array(z.string().max(4096))
      .min(1)
      .max(256)
      .optional()
      .describe('The same as command, already split into words: ["kubectl","get","pods","-A"].'),
    context: contextName.optional().describe("The kubeconfig context to run against; only those listed in kube.contexts may be named."),
    params: RequestParamsSchema.optional(),
    constraints: ConstraintsSchema.default({ dryRun: false, confirm: false }),
  })
  .strict()
  .superRefine((request, ctx) => {
    const given = (["goal", "command", "argv"] as const).filter((field) => request[field] !== undefined);
    if (given.length > 1) {
      ctx.addIssue({ code: "custom", path: [given[1] ?? ""], message: `give exactly one of goal, intent+resource, command or argv (got ${given.join(" and ")})` });
      return;
    }
    if (request.command !== undefined || request.argv !== undefined) {
      const field = request.command !== undefined ? "command" : "argv";
      for (const planned of PLANNED_FIELDS) {
        if (request[planned] !== undefined) {
          ctx.addIssue({ code: "custom", path: [planned], message: `${field} names the whole operation; drop ${planned} (only namespace, context and constraints go with it)` });
        }
      }
      return;
    }
    if (request.goal !== undefined) return;
    for (const field of ["intent", "resource"] as const) {
      if (request[field] === undefined) {
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is required unless a goal, command or argv is given` });
      }
    }
  });
export type ExecRequest = z.infer<typeof ExecRequestSchema>;
export type ExecRequestInput = z.input<typeof ExecRequestSchema>;

/** What kind of request this is, as the audit log records it. */
export type RequestKind = "command" | "goal" | "structured";

export function requestKind(request: ExecRequest): RequestKind {
  if (request.command !== undefined || request.argv !== undefined) return "command";
  return request.goal !== undefined ? "goal" : "structured";
}
