import { z } from "zod";
import { INTENTS, RESOURCES } from "../../cards/vocabulary.js";

export const RetrieveBodySchema = z
  .object({
    query: z.string().max(2000).default(""),
    intent: z.enum(INTENTS).optional(),
    resource: z.enum(RESOURCES).optional(),
    k: z.number().int().min(1).max(50).optional(),
    tokenBudget: z.number().int().min(50).max(8000).optional(),
  })
  .strict();

export const ValidateBodySchema = z
  .object({
    command: z.string().min(1).max(65_536),
    namespace: z.string().max(63).optional(),
  })
  .strict();
