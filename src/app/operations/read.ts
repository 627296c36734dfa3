import { z } from "zod";
import { ExecRequestSchema } from "../../core/request.js";
import { oneCopy } from "../../core/response.js";
import type { ExecAnswer } from "../../core/response.js";
import { ExecResponseSchema } from "./exec.js";
import { defineOperation } from "./types.js";

/**
 * What k8s_read hands a model: the output once, where it came from, and only the fields that say something for
 * this answer (reasons when denied, the ask when input is missing). Operation ids, digests, per-step timings and
 * the validation record stay in the audit log and the HTTP answer: a small read costs about what kubectl prints.
 */
export const ReadAnswerSchema = z.object({
  status: z.enum(["succeeded", "failed", "dry_run", "planned", "awaiting_confirmation", "denied", "needs_input"]),
  target: z.string().describe('where it ran: "sandbox" or the kubeconfig context'),
  output: z.string().optional().describe("what the command printed (capped, with a line saying what a cut left out)"),
  stderr: z.string().optional(),
  exitCode: z.number().nullable().optional().describe("only when a step did not exit 0 (null: it timed out or could not start)"),
  commands: z.array(z.string()).optional().describe("what ran, when rag-k8s planned it from a goal or intent"),
  message: z.string().optional().describe("why it did not succeed"),
  reasons: z.array(z.string()).optional(),
  suggestions: z.array(z.string()).optional(),
  missing: z.array(z.string()).optional(),
  ask: z.looseObject({ field: z.string() }).optional().describe("the field to send back, known values and a ready request"),
  candidates: z.array(z.looseObject({ cardId: z.string() })).optional(),
  unsupported: z.looseObject({ what: z.string() }).optional(),
  notes: z.array(z.string()).optional().describe("how a goal was read"),
  health: z.looseObject({}).optional(),
});
export type ReadAnswer = z.output<typeof ReadAnswerSchema>;

function targetName(target: ExecAnswer["target"]): string {
  if (!target || target.kind === "sandbox") return "sandbox";
  return target.context;
}

function trimmed(text: string): string | undefined {
  const t = text.replace(/\s+$/, "");
  return t === "" ? undefined : t;
}

/** The model's view of a read: each field present only when it carries something. */
export function readAnswer(answer: ExecAnswer): ReadAnswer {
  const failedStep = answer.steps.find((step) => step.code !== 0);
  const planned = answer.plan && answer.plan.planner !== "command" ? { commands: [...answer.plan.commands] } : {};
  const denied = answer.status === "denied" && answer.validation;
  return {
    status: answer.status,
    target: targetName(answer.target),
    ...optional("output", trimmed(answer.stdout)),
    ...optional("stderr", trimmed(answer.stderr)),
    ...(failedStep ? { exitCode: failedStep.code } : {}),
    ...planned,
    ...(answer.status === "succeeded" ? {} : { message: answer.message }),
    ...(denied ? { reasons: [...answer.validation.reasons], suggestions: [...answer.validation.suggestions] } : {}),
    ...(answer.missing?.length ? { missing: [...answer.missing] } : {}),
    ...optional("ask", answer.ask),
    ...(answer.candidates?.length ? { candidates: answer.candidates.map((c) => ({ ...c })) } : {}),
    ...optional("unsupported", answer.unsupported),
    ...(answer.notes?.length ? { notes: [...answer.notes] } : {}),
    ...optional("health", answer.health),
  } as ReadAnswer;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads only: any command or request the policy calls read-only runs as k8s_exec would run it; anything else is
 * refused (status denied) after validation and before approval or execution, so a client may auto-approve it.
 */
export const readOperation = defineOperation<typeof ExecRequestSchema, ExecAnswer, "read">({
  name: "read",
  title: "Read from Kubernetes (never changes anything)",
  description:
    "Run one read-only kubectl/flux command under policy: get, describe, logs, events, top, explain, api-resources, on any kind " +
    "including CRDs and Flux objects, with -A, -l selectors, --sort-by, --show-labels and -o wide|name|yaml|json|jsonpath (Secret " +
    "values and tokens are never shown). Give command (a kubectl command line, no shell), argv, intent+resource, or a goal; " +
    "namespace and context are optional. Anything that would change the cluster is refused with status denied: use k8s_exec for it. " +
    'Example: {"command": "kubectl get ingress -n prod -o yaml"}',
  input: ExecRequestSchema,
  output: ExecResponseSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  http: { method: "POST", path: "/k8s-read" },
  mcp: { tool: "k8s_read", view: { output: ReadAnswerSchema, from: readAnswer } },
  run: async (runtime, input, context) => oneCopy(await runtime.read(input, context)),
});
