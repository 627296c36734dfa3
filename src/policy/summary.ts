import type { Policy } from "./compile.js";
import type { NamespaceRuleConfig } from "./schema.js";

/** A few lines a model can follow: which verbs each namespace allows, and what is never run. Stable, so it can sit in a cached prefix. */
export function summarizePolicy(policy: Policy): string {
  const lines = Object.entries(policy.config.namespaces).map(([name, rule]) => `- namespace ${name}: ${rule.verbs.join(", ")}`);
  const { words, pattern, ...prod } = policy.config.prodLikeNamespaces;
  const prodNames = [...words, ...(pattern === undefined ? [] : [`/${pattern}/`])].join(", ");
  const terms = (rule: NamespaceRuleConfig) =>
    [rule.confirmMutations ? "every change confirmed" : "", rule.denyDestructive ? "no delete, drain, scale to 0 or undo" : ""].filter(Boolean).join("; ");
  lines.push(`- other namespaces named like production (${prodNames}; ${terms(prod)}): ${prod.verbs.join(", ")}`);
  lines.push(`- any other namespace (${terms(policy.config.unlistedNamespaces)}): ${policy.config.unlistedNamespaces.verbs.join(", ")}`);
  lines.push(`- cluster-scoped (nodes, namespaces): ${policy.config.cluster.verbs.join(", ")}`);
  lines.push(`- reads work on any kind, custom resources included; secrets ${policy.allowSecretGet ? "at most as a table of names" : "never"}`);
  if (policy.modes.readOnly) lines.push("- this server is read-only: nothing that changes the cluster runs");
  // Derived from this policy, so a policy that allows something is never described to the model as forbidden.
  const never = new Set([
    "secret values",
    ...policy.config.forbidden.map((rule) => `${rule.verb}${rule.resource ? ` ${rule.resource}` : ""}`),
    "identity or target flags (--kubeconfig, --context, --server)",
  ]);
  lines.push(`- never: ${[...never].join(", ")}`);
  return lines.join("\n");
}
