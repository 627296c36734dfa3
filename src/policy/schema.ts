import { z } from "zod";
import { RISK_LEVELS } from "../cards/vocabulary.js";
import { REFUSED_WHOLE, VERBS } from "./spec.js";

const knownVerb = z.string().refine((verb) => VERBS.has(verb), {
  message: `unknown verb; known verbs: ${[...VERBS.keys()].filter((v) => !REFUSED_WHOLE.has(v)).join(", ")}`,
});
/** Verbs whose arguments rag-k8s does not model can be named in `forbidden` rules but never allowed. */
const allowableVerb = knownVerb.refine((verb) => !REFUSED_WHOLE.has(verb), {
  message: `this verb is always refused (its arguments are not checked): ${[...REFUSED_WHOLE].join(", ")}`,
});
const resourceName = z.string().regex(/^[a-z][a-z0-9.-]*$/, "a canonical resource name, lower-case plural, e.g. deployments");

export const NamespaceRuleSchema = z
  .object({
    verbs: z.array(allowableVerb).describe("verbs allowed in this namespace (or on cluster-scoped objects)"),
    confirmMutations: z.boolean().default(false).describe("every non-read-only command needs confirmation"),
  })
  .strict();
export type NamespaceRuleConfig = z.infer<typeof NamespaceRuleSchema>;

const KeyRuleSchema = z.object({ resource: resourceName, keys: z.array(z.string().min(1)).min(1) }).strict();

/** The policy as written in policy/*.yaml, after defaults. */
export const PolicySchema = z
  .object({
    binaries: z.array(z.enum(["kubectl", "flux"])).min(1).default(["kubectl", "flux"]),
    verbs: z.array(allowableVerb).describe("global allow-list of verbs"),
    resources: z.array(resourceName).describe("global allow-list of resources (canonical plural)"),
    forbidden: z
      .array(
        z
          .object({
            verb: knownVerb,
            resource: resourceName.optional(),
            reason: z.string().min(1),
            suggestion: z.string().optional().describe("a safer command; {namespace} and {name} are filled in"),
          })
          .strict(),
      )
      .default([]),
    secrets: z.object({ allowGet: z.boolean().default(false) }).strict().default({ allowGet: false }),
    patches: z
      .array(
        z
          .object({
            resource: resourceName,
            type: z.enum(["merge", "strategic", "json"]),
            fields: z
              .record(z.string().regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "a dot path, e.g. spec.suspend"), z.enum(["boolean", "string", "integer"]))
              .refine((fields) => Object.keys(fields).length > 0, "name at least one field")
              .describe("dot path → JSON type of the only fields the patch may set"),
          })
          .strict(),
      )
      .default([]),
    annotations: z.array(KeyRuleSchema).default([]).describe("annotation keys `annotate` may set, per resource"),
    labels: z.array(KeyRuleSchema).default([]).describe("label keys `label` may set, per resource"),
    confirm: z
      .object({
        risks: z.array(z.enum(RISK_LEVELS)).default(["medium", "high"]),
        verbs: z.array(allowableVerb).default([]).describe("verbs that always need confirmation"),
      })
      .strict()
      .default({ risks: ["medium", "high"], verbs: [] }),
    allNamespacesReads: z.boolean().default(true).describe("allow -A on read-only verbs"),
    namespaces: z
      .record(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a namespace name"), NamespaceRuleSchema)
      .refine((rules) => "default" in rules, 'a "default" rule for unlisted namespaces is required'),
    cluster: NamespaceRuleSchema.describe("rules for cluster-scoped objects (nodes, namespaces, …)"),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicySchema>;
