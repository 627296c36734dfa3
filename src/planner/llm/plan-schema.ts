import { z } from "zod";
import { INTENTS } from "../../cards/vocabulary.js";
import type { JsonSchema } from "./types.js";

/**
 * Names keep Kubernetes' own limits; the command and summary are capped near what a plan needs (the longest
 * card example is ~190 characters), because a grammar-constrained decoder may spend a token per character up
 * to these caps, and its per-token grammar pass grows with them.
 */
const LIMITS = { namespace: 63, target: 253, selector: 256, command: 320, summary: 120 } as const;
/** A namespace name (RFC 1123 label) or "" when the operation is cluster-scoped. */
const NAMESPACE_PATTERN = "^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$";

/**
 * Control characters (newlines, escape sequences) have no place in a one-line command or in text shown in a
 * terminal, and U+FFFD means the model emitted invalid UTF-8.
 */
const printable = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[^\p{Cc}\uFFFD]*$/u, "must not contain control characters or invalid UTF-8");

/** What a model must return: one command plus the fields the policy engine cross-checks it against. */
export const LlmPlanSchema = z.strictObject({
  intent: z.enum(INTENTS),
  namespace: z
    .string()
    .max(LIMITS.namespace)
    .regex(new RegExp(NAMESPACE_PATTERN), "must be a lowercase RFC 1123 label (a-z, 0-9, '-') or empty"),
  target: printable(LIMITS.target),
  selector: printable(LIMITS.selector),
  command: printable(LIMITS.command).trim().min(1, "must not be empty"),
  summary: printable(LIMITS.summary),
});
export type LlmPlan = z.output<typeof LlmPlanSchema>;

/**
 * The same shape as a JSON Schema for grammar-constrained decoding and OpenAI structured outputs.
 * Hand-written rather than generated: decoders need every string bounded, no numbers (unbounded numbers
 * decode to values like 2.69E484), no optional keys, and a fixed property order (the grammar emits keys in
 * this order, and intent first steers the rest). node-llama-cpp's grammar ignores `pattern`; zod checks it.
 */
export const LLM_PLAN_JSON_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    intent: { type: "string", enum: [...INTENTS] },
    namespace: { type: "string", maxLength: LIMITS.namespace, pattern: NAMESPACE_PATTERN },
    target: { type: "string", maxLength: LIMITS.target },
    selector: { type: "string", maxLength: LIMITS.selector },
    command: { type: "string", minLength: 1, maxLength: LIMITS.command },
    summary: { type: "string", maxLength: LIMITS.summary },
  },
  required: ["intent", "namespace", "target", "selector", "command", "summary"],
  additionalProperties: false,
};
