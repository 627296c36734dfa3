import type { Policy } from "./compile.js";

/** A few lines a model can follow: which verbs each namespace allows. Stable, so it can sit in a cached prefix. */
export function summarizePolicy(policy: Policy): string {
  const lines = Object.entries(policy.config.namespaces).map(
    ([name, rule]) => `- ${name === "default" ? "other namespaces" : `namespace ${name}`}: ${rule.verbs.join(", ")}`,
  );
  lines.push(`- cluster-scoped (nodes, namespaces): ${policy.config.cluster.verbs.join(", ")}`);
  lines.push("- never: secrets output, exec, port-forward, delete pods, identity or target flags (--kubeconfig, --context, --server)");
  return lines.join("\n");
}
