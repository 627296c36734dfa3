import { z } from "zod";
import { INTENTS, RESOURCES } from "../../cards/vocabulary.js";
import type { RetrievalHit } from "../../retrieval/index.js";
import { defineOperation } from "./types.js";

export const RetrieveInputSchema = z
  .object({
    query: z.string().max(2000).default("").describe("what you want to do or find out"),
    intent: z.enum(INTENTS).optional().describe("only cards with this intent"),
    resource: z.enum(RESOURCES).optional().describe("only cards for this resource"),
    k: z.number().int().min(1).max(50).optional().describe("number of cards (default retrieval.k)"),
    tokenBudget: z.number().int().min(50).max(8000).optional().describe("token budget of the rendered context"),
  })
  .strict()
  .refine((input) => input.query.trim() !== "" || input.intent !== undefined || input.resource !== undefined, {
    path: ["query"],
    message: "give a query, an intent or a resource",
  });
export type RetrieveInput = z.output<typeof RetrieveInputSchema>;

const HitSchema = z.object({
  id: z.string(),
  title: z.string(),
  intent: z.string(),
  resource: z.string(),
  risk: z.string(),
  score: z.number(),
  ranks: z.record(z.string(), z.number()),
  template: z.union([z.string(), z.array(z.string())]),
});
export type HitSummary = z.output<typeof HitSchema>;

export const RetrieveOutputSchema = z.object({
  mode: z.string(),
  hits: z.array(HitSchema),
  context: z.string().optional().describe("the rendered cards"),
  tokens: z.number(),
});
export type RetrieveOutput = z.output<typeof RetrieveOutputSchema>;

/** A ranked card as every face shows it. */
export function hitSummary(hit: RetrievalHit): HitSummary {
  const template = hit.card.command_template;
  return {
    id: hit.card.id,
    title: hit.card.title,
    intent: hit.card.intent,
    resource: hit.card.resource,
    risk: hit.card.risk_level,
    score: Math.round(hit.score * 10_000) / 10_000,
    ranks: { ...hit.ranks },
    template: typeof template === "string" ? template : [...template],
  };
}

export const retrieveOperation = defineOperation<typeof RetrieveInputSchema, RetrieveOutput, "retrieve" | "context" | "retriever">({
  name: "retrieve",
  title: "Search command cards",
  description:
    "Find the runbook cards (command templates, risk, examples, notes) relevant to a question, ranked, with their rendered context. " +
    'Example: {"query": "pod keeps crashing", "k": 3}',
  input: RetrieveInputSchema,
  output: RetrieveOutputSchema,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  http: { method: "POST", path: "/retrieve" },
  mcp: { tool: "k8s_search" },
  async run(runtime, input) {
    const hits = await runtime.retrieve(input.query, {
      ...(input.intent ? { intent: input.intent } : {}),
      ...(input.resource ? { resource: input.resource } : {}),
      ...(input.k ? { k: input.k } : {}),
    });
    const context = runtime.context(hits, input.tokenBudget);
    return { mode: runtime.retriever.mode, hits: hits.map(hitSummary), context: context.text, tokens: context.tokens };
  },
});
