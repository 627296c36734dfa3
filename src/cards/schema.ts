import { z } from "zod";
import { INTENTS, RESOURCES, RISK_LEVELS } from "./vocabulary.js";

const PARAMETER_NAME = /^[a-z][a-z0-9_]*$/;

export const ParameterSchema = z
  .object({
    name: z.string().regex(PARAMETER_NAME, "parameter names are lower_snake_case"),
    type: z.enum(["name", "namespace", "selector", "string", "integer", "boolean", "duration"]),
    required: z.boolean().default(false),
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    pattern: z.string().optional(),
    enum: z.array(z.string()).nonempty().optional(),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    description: z.string().min(1),
  })
  .strict();
export type CardParameter = z.infer<typeof ParameterSchema>;

/** Parameter values as a request supplies them, keyed by parameter name. */
export type ParameterValues = Record<string, string | number | boolean | undefined>;

const TemplateSchema = z.union([z.string().min(1), z.array(z.string().min(1)).nonempty()]);

export const ExampleSchema = z
  .object({
    goal: z.string().min(1),
    values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    command: TemplateSchema,
    follow_up: z.array(z.string()).default([]),
  })
  .strict();
export type CardExample = z.infer<typeof ExampleSchema>;

export const CardSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "card ids are lower-kebab-case"),
    title: z.string().min(1),
    intent: z.enum(INTENTS),
    resource: z.enum(RESOURCES),
    risk_level: z.enum(RISK_LEVELS),
    /**
     * One command, or an ordered list of commands run one after another (never a pipeline).
     * `{{name}}` is a placeholder; `{{#name}} … {{/name}}` renders its body only when `name` has a value
     * (for a boolean: when true).
     */
    command_template: TemplateSchema,
    parameters: z.array(ParameterSchema).default([]),
    flags: z.array(z.object({ flag: z.string().min(1), description: z.string().min(1) }).strict()).default([]),
    preconditions: z.array(z.string()).default([]),
    examples: z.array(ExampleSchema).min(1),
    notes: z.array(z.string()).default([]),
    references: z.array(z.string().url()).default([]),
    keywords: z.array(z.string()).default([]),
  })
  .strict();
export type Card = z.infer<typeof CardSchema>;
