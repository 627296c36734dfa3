import { z } from "zod";
import { ExecRequestSchema } from "../../core/request.js";
import { oneCopy } from "../../core/response.js";
import type { ExecAnswer } from "../../core/response.js";
import { defineOperation } from "./types.js";

const StepSchema = z.looseObject({
  argv: z.array(z.string()),
  code: z.number().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  stdoutKind: z.string().optional().describe("how the output was read for shaping: events, logs, describe, table …"),
  stdoutOmitted: z.looseObject({ count: z.number() }).nullable().describe("what a cut left out of this step's output (null: nothing)"),
  stdoutDigest: z.string(),
});

/**
 * The response of k8s_exec and plan (see core/response.ts for every field). Each output appears once: steps
 * carry digests, kinds and omitted counts, not text, which is in `stdout`/`stderr`.
 */
export const ExecResponseSchema = z.looseObject({
  operationId: z.string(),
  status: z.enum(["succeeded", "failed", "dry_run", "planned", "awaiting_confirmation", "denied", "needs_input"]),
  executed: z.boolean(),
  dryRun: z.boolean(),
  plan: z.looseObject({ command: z.string(), commands: z.array(z.string()), planner: z.enum(["template", "goal-parser", "llm", "command"]) }).nullable(),
  decision: z.enum(["allow", "confirm", "deny"]).nullable(),
  risk: z.enum(["none", "low", "medium", "high"]).nullable(),
  steps: z.array(StepSchema),
  stdout: z.string().optional().describe("every step's output, once"),
  stderr: z.string().optional(),
  message: z.string(),
  confirmToken: z.string().optional(),
  target: z.union([z.object({ kind: z.literal("sandbox") }), z.object({ kind: z.literal("cluster"), context: z.string(), server: z.string().nullable() })]).optional(),
  timings: z.looseObject({ totalMs: z.number() }),
}) as unknown as z.ZodType<ExecAnswer>;

export const execOperation = defineOperation<typeof ExecRequestSchema, ExecAnswer, "exec">({
  name: "exec",
  title: "Run a Kubernetes operation",
  description:
    "Plan, validate against policy and run one kubectl/flux operation, reads and writes. Give exactly one of: command (a kubectl/flux " +
    "command line you wrote, no shell), argv (the same as a list of words), intent+resource(+namespace, name, selector, params), or a " +
    "free-text goal. Policy parses the command and allows, asks for confirmation, or denies with reasons and safer suggestions. " +
    "Risky operations return status awaiting_confirmation and a confirmToken: ask the user, then call again with the same arguments, " +
    "constraints.confirm=true and that confirmToken (single use, expires; confirm alone is refused). constraints.dryRun=true runs a server-side dry run that changes nothing. " +
    "For reads prefer k8s_read. Example: {\"command\": \"kubectl rollout restart deployment/web -n staging\"}",
  input: ExecRequestSchema,
  output: ExecResponseSchema,
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  http: { method: "POST", path: "/k8s-exec" },
  mcp: { tool: "k8s_exec" },
  run: async (runtime, input, context) => oneCopy(await runtime.exec(input, context)),
});

export const planOperation = defineOperation<typeof ExecRequestSchema, ExecAnswer, "plan">({
  name: "plan",
  title: "Plan a Kubernetes operation without running it",
  description:
    "Same input as k8s_exec; returns the planned commands, the policy decision, the risk and the target. Runs nothing. " +
    'Example: {"goal": "scale web in staging to 3"}',
  input: ExecRequestSchema,
  output: ExecResponseSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  http: { method: "POST", path: "/plan" },
  mcp: { tool: "k8s_plan" },
  // A reaction on the plan's promise, not an async wrapper around it: one promise fewer per request.
  run: (runtime, input, context) => runtime.plan(input, context).then(oneCopy),
});
