import { z } from "zod";
import { RISK_LEVELS } from "../cards/vocabulary.js";
import { VERBS } from "./spec.js";

const verbId = z.string().refine((verb) => verb in VERBS, { message: `unknown verb; known verbs: ${Object.keys(VERBS).join(", ")}` });

export const NamespaceRuleSchema = z
  .object({
    verbs: z.array(verbId).describe("verbs allowed in this namespace (or on cluster-scoped objects)"),
    confirmMutations: z.boolean().default(false).describe("every non-read-only command needs confirmation"),
  })
  .strict();
export type NamespaceRule = z.infer<typeof NamespaceRuleSchema>;

export const PolicySchema = z
  .object({
    binaries: z.array(z.enum(["kubectl", "flux"])).min(1).default(["kubectl", "flux"]),
    verbs: z.array(verbId).describe("global allow-list of verbs"),
    resources: z.array(z.string().regex(/^[a-z][a-z0-9.-]*$/)).describe("global allow-list of resources (canonical plural)"),
    forbidden: z
      .array(
        z
          .object({
            verb: verbId,
            resource: z.string().optional(),
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
            resource: z.string(),
            type: z.enum(["merge", "strategic", "json"]),
            paths: z.array(z.string().min(1)).min(1).describe("dot paths the patch may set, e.g. spec.suspend"),
          })
          .strict(),
      )
      .default([]),
    annotations: z.array(z.object({ resource: z.string(), keys: z.array(z.string().min(1)).min(1) }).strict()).default([]),
    confirm: z.object({ risks: z.array(z.enum(RISK_LEVELS)) }).strict().default({ risks: ["medium", "high"] }),
    allNamespacesReads: z.boolean().default(true).describe("allow -A on read-only verbs"),
    namespaces: z.record(z.string(), NamespaceRuleSchema).refine((rules) => "default" in rules, "a \"default\" rule for unlisted namespaces is required"),
    cluster: NamespaceRuleSchema.describe("rules for cluster-scoped objects (nodes, namespaces, …)"),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;
