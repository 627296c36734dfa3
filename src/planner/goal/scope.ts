/**
 * Goals outside what the card catalog can do (Helm, Terraform, deleting, exec, secrets …) and goals that try to
 * change the rules. They are refused as `unsupported` with the closest operations rag-k8s does have, never
 * mapped onto an unrelated card.
 */
export interface OutOfScope {
  readonly what: string;
  /** Card ids of the nearest operations rag-k8s can plan. */
  readonly closest: readonly string[];
}

interface Rule {
  readonly pattern: RegExp;
  readonly what: string;
  readonly closest: readonly string[];
}

const RULES: readonly Rule[] = [
  {
    pattern: /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules?|prompt|policy|policies)\b|\b(you are now|act as|system:|admin mode)\b/,
    what: "instructions to change how rag-k8s behaves",
    closest: [],
  },
  { pattern: /\bhelm\b/, what: "Helm", closest: ["flux-reconcile-kustomization", "kustomization-get-kubectl"] },
  { pattern: /\b(terraform|ansible|pulumi|argocd|docker|istioctl|eksctl|gcloud|az|aws)\b/, what: "tools other than kubectl and flux", closest: [] },
  {
    pattern: /\b(delete|deleting|remove|removing|destroy|kill|wipe|purge|uninstall|nuke|rm)\b/,
    what: "deleting",
    closest: ["deployment-restart", "deployment-scale", "node-drain"],
  },
  { pattern: /^(?:exec|attach|ssh|shell|cp)\b|\bexec\s+into\b|\bshell\s+into\b/, what: "running commands inside containers", closest: ["pod-logs", "pod-describe"] },
  { pattern: /\bport-?forward/, what: "port forwarding", closest: ["service-describe"] },
  { pattern: /^(?:apply|create|edit|patch|label|annotate|install|upgrade|set\s+image|expose|run)\b(?!.*\bcronjob\b)/, what: "creating or changing object definitions", closest: ["deployment-restart", "deployment-scale", "deployment-rollout-undo"] },
  { pattern: /^(?:get|show|list|view|read|cat|describe|print|dump|decode)\b(?:\s+\S+){0,3}?\s+secrets?\b|^secrets?\b/, what: "reading Secrets", closest: ["configmap-view"] },
];

export function outOfScope(normalisedLower: string): OutOfScope | undefined {
  const rule = RULES.find((r) => r.pattern.test(normalisedLower));
  return rule && { what: rule.what, closest: rule.closest };
}
