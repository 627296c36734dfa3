import { z } from "zod";
import { RISK_LEVELS } from "./risk.js";
import { REFUSED_WHOLE, VERBS } from "./spec.js";

const knownVerb = z.string().refine((verb) => VERBS.has(verb), {
  message: `unknown verb; known verbs: ${[...VERBS.keys()].filter((v) => !REFUSED_WHOLE.has(v)).join(", ")}`,
});
/** Verbs whose arguments rag-k8s does not model can be named in `forbidden` rules but never allowed. */
const allowableVerb = knownVerb.refine((verb) => !REFUSED_WHOLE.has(verb), {
  message: `this verb is always refused (its arguments are not checked): ${[...REFUSED_WHOLE].join(", ")}`,
});
const resourceName = z.string().regex(/^[a-z][a-z0-9.-]*$/, "a canonical resource name, lower-case plural, e.g. deployments");

const ruleFields = {
  verbs: z.array(allowableVerb).describe("verbs allowed in this namespace (or on cluster-scoped objects)"),
  confirmMutations: z.boolean().default(false).describe("every non-read-only command needs confirmation"),
  denyDestructive: z.boolean().default(false).describe("refuse delete, drain, scale to 0 and rollout undo even where the verb is listed"),
};
export const NamespaceRuleSchema = z.object(ruleFields).strict();
export type NamespaceRuleConfig = z.infer<typeof NamespaceRuleSchema>;

/** Read-only verbs: what a namespace nobody described may do without asking. */
const READ_VERBS = ["get", "describe", "logs", "top pod", "events", "rollout status", "rollout history", "flux get"];
const CONSERVATIVE = { verbs: READ_VERBS, confirmMutations: true, denyDestructive: true };

const kindName = z.string().regex(/^[A-Za-z][A-Za-z0-9.-]*$/, "a resource type, e.g. secrets or certificates.cert-manager.io");
const namespaceName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "a namespace name");
const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source);
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression" },
);

/** Server modes, set by configuration or flags and applied to every verdict. */
export const ServerModesSchema = z
  .object({
    readOnly: z.boolean().default(false).describe("refuse every command that changes anything"),
    disableDestructive: z.boolean().default(false).describe("refuse delete, drain, scale to 0 and rollout undo"),
    deniedKinds: z.array(kindName).default([]).describe("kinds no command may name, read or write"),
  })
  .strict();
export type ServerModes = z.input<typeof ServerModesSchema>;

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
    anyKindReads: z.boolean().default(true).describe("read-only verbs may name any kind (custom resources included), not only `resources`"),
    secretKinds: z.array(kindName).default([]).describe("kinds whose objects carry credentials, treated like secrets (list every spelling)"),
    clusterScopedKinds: z.array(kindName).default([]).describe("custom kinds that are cluster-scoped, so a read of them takes no namespace"),
    deniedKinds: z.array(kindName).default([]).describe("kinds no command may name (merged with the server's deniedKinds)"),
    fieldPaths: z
      .array(z.object({ resource: resourceName, path: z.string().min(1) }).strict())
      .default([])
      .describe("JSONPath fields that -o jsonpath/custom-columns may print although they hold env values, ConfigMap data or annotations"),
    namespaces: z.record(namespaceName, NamespaceRuleSchema).describe("rules for the namespaces named here (\"default\" is the namespace called default)"),
    prodLikeNamespaces: z
      .object({
        ...ruleFields,
        confirmMutations: ruleFields.confirmMutations.default(true),
        denyDestructive: ruleFields.denyDestructive.default(true),
        words: z.array(namespaceName).default(["prod", "production", "prd", "live"]).describe("a name with one of these as a dash-separated word looks like production"),
        pattern: regexSource.optional().describe("a regular expression; a name it matches looks like production too"),
      })
      .strict()
      .default({ ...CONSERVATIVE, words: ["prod", "production", "prd", "live"] })
      .describe("the strict rule for namespaces not named above whose name looks like production"),
    unlistedNamespaces: z
      .object({ ...ruleFields, confirmMutations: ruleFields.confirmMutations.default(true), denyDestructive: ruleFields.denyDestructive.default(true) })
      .strict()
      .default(CONSERVATIVE)
      .describe("the rule for every other namespace not named above"),
    cluster: NamespaceRuleSchema.describe("rules for cluster-scoped objects (nodes, namespaces, …)"),
  })
  .strict();
export type PolicyConfig = z.infer<typeof PolicySchema>;
