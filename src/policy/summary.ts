import type { Policy } from "./compile.js";
import type { NamespaceRuleConfig } from "./schema.js";

/** A few lines a model can follow: which verbs each namespace allows. Stable, so it can sit in a cached prefix. */
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
  lines.push("- never: secret values, exec, port-forward, delete pods, identity or target flags (--kubeconfig, --context, --server)");
  return lines.join("\n");
}
