import { z } from "zod";
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
});
export type ValidateOutput = Omit<Validation, "parsed">;

export const validateOperation = defineOperation<typeof ValidateInputSchema, ValidateOutput, "validate">({
  name: "validate",
  title: "Check a command against policy",
  description: "Parse a kubectl/flux command and return allow/confirm/deny with risk, reasons and safer suggestions. Runs nothing.",
  input: ValidateInputSchema,
  output: ValidateOutputSchema as unknown as z.ZodType<ValidateOutput>,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  http: { method: "POST", path: "/validate" },
  mcp: { tool: "k8s_validate" },
  async run(runtime, input) {
    const { parsed: _parsed, ...verdict } = runtime.validate(input.command, input.namespace ? { namespace: input.namespace } : {});
    return verdict;
  },
});
