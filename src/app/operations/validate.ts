import { z } from "zod";
import { quoteArgv } from "../../policy/index.js";
import type { Validation } from "../../policy/index.js";
import { defineOperation } from "./types.js";

export const ValidateInputSchema = z
  .object({
    command: z.string().min(1).max(65_536).describe("the full command, e.g. kubectl rollout restart deployment/web -n prod"),
    namespace: z.string().max(63).optional().describe("the namespace the command must target"),
  })
  .strict();

export const ValidateOutputSchema = z.object({
  decision: z.enum(["allow", "confirm", "deny"]),
  risk: z.enum(["none", "low", "medium", "high"]),
  readOnly: z.boolean(),
  reasons: z.array(z.object({ code: z.string(), message: z.string() })),
  suggestions: z.array(z.string()),
  argv: z.array(z.string()),
  next: z.string().optional(),
});
export type ValidateOutput = Omit<Validation, "parsed"> & {
  /** For a command policy does not deny: how to run it under the same policy. */
  readonly next?: string;
};

/** How to run a validated command through rag-k8s, on every face. */
export function howToRun(argv: readonly string[], readOnly: boolean): string {
  const tool = readOnly ? "k8s_read" : "k8s_exec";
  return `run it with: rag-k8s run -- ${quoteArgv(argv)}   (MCP: ${tool} {"command": ...}; HTTP: POST /k8s-exec {"command": ...})`;
}

export const validateOperation = defineOperation<typeof ValidateInputSchema, ValidateOutput, "validate">({
  name: "validate",
  title: "Check a command against policy",
  description:
    "Parse a kubectl/flux command and return allow/confirm/deny with risk, reasons and safer suggestions. Runs nothing; to run an " +
    'allowed command, send it to k8s_read (reads) or k8s_exec as {"command": ...}. Example: {"command": "kubectl delete pod web-0 -n prod"}',
  input: ValidateInputSchema,
  output: ValidateOutputSchema as unknown as z.ZodType<ValidateOutput>,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  http: { method: "POST", path: "/validate" },
  mcp: { tool: "k8s_validate" },
  async run(runtime, input) {
    const { parsed: _parsed, ...verdict } = runtime.validate(input.command, input.namespace ? { namespace: input.namespace } : {});
    return verdict.decision === "deny" ? verdict : { ...verdict, next: howToRun(verdict.argv, verdict.readOnly) };
  },
});
