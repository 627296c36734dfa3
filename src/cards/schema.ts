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

/** Resolvers that look a value up from the cluster (read-only kubectl) before a card is rendered. */
export const RESOLVERS = ["newest-ready-pod", "pod-selector"] as const;
export type ResolverName = (typeof RESOLVERS)[number];
/** The parameters each resolver reads to know what to look up (they count as used by the card). */
export const RESOLVER_INPUTS: Readonly<Record<ResolverName, readonly string[]>> = {
  "newest-ready-pod": ["name", "namespace"],
  "pod-selector": ["name", "namespace"],
};
/** The parameter type each resolver's value has, so that it is validated like a request value of that type. */
export const RESOLVER_TYPES: Readonly<Record<ResolverName, "name" | "selector">> = { "newest-ready-pod": "name", "pod-selector": "selector" };

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
    /**
     * Parameters whose value the pipeline looks up from the cluster before rendering (parameter → resolver),
     * e.g. `pod: newest-ready-pod`. A request can never set them; the looked-up value is validated like any other.
     */
    resolve: z.record(z.string().regex(PARAMETER_NAME), z.enum(RESOLVERS)).default({}),
    flags: z.array(z.object({ flag: z.string().min(1), description: z.string().min(1) }).strict()).default([]),
    preconditions: z.array(z.string()).default([]),
    examples: z.array(ExampleSchema).min(1),
    notes: z.array(z.string()).default([]),
    references: z.array(z.string().url()).default([]),
    keywords: z.array(z.string()).default([]),
  })
  .strict()
  .superRefine((card, ctx) => {
    for (const [name, resolver] of Object.entries(card.resolve)) {
      const param = card.parameters.find((p) => p.name === name);
      if (param?.type !== RESOLVER_TYPES[resolver] || !param.required) {
        ctx.addIssue({ code: "custom", path: ["resolve", name], message: `"${name}" must be a required parameter of type ${RESOLVER_TYPES[resolver]} to be resolved by ${resolver}` });
      }
      for (const input of RESOLVER_INPUTS[resolver]) {
        if (!card.parameters.some((p) => p.name === input && p.required)) {
          ctx.addIssue({ code: "custom", path: ["resolve", name], message: `${resolver} reads "${input}", which the card must declare as a required parameter` });
        }
      }
    }
  });
export type Card = z.infer<typeof CardSchema>;
