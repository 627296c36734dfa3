import type { Policy } from "./compile.js";

/** A few lines a model can follow: which verbs each namespace allows, and what is never run. Stable, so it can sit in a cached prefix. */
export function summarizePolicy(policy: Policy): string {
  const lines = Object.entries(policy.config.namespaces).map(
    ([name, rule]) => `- ${name === "default" ? "other namespaces" : `namespace ${name}`}: ${rule.verbs.join(", ")}`,
  );
  lines.push(`- cluster-scoped (nodes, namespaces): ${policy.config.cluster.verbs.join(", ")}`);
  // Derived from this policy, so a policy that allows something is never described to the model as forbidden.
  const never = new Set([
    ...(policy.config.secrets.allowGet ? [] : ["secrets output"]),
    ...policy.config.forbidden.map((rule) => `${rule.verb}${rule.resource ? ` ${rule.resource}` : ""}`),
    "identity or target flags (--kubeconfig, --context, --server)",
  ]);
  lines.push(`- never: ${[...never].join(", ")}`);
  return lines.join("\n");
}
