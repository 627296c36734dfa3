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
  /** Tested on the goal without tool names that are only parts of object names or namespaces. */
  readonly tools?: boolean;
  readonly what: string;
  readonly closest: readonly string[];
}

const RULES: readonly Rule[] = [
  {
    pattern: /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|rules?|prompt|policy|policies)\b|\b(you are now|act as|system:|admin mode)\b/,
    what: "instructions to change how rag-k8s behaves",
    closest: [],
  },
  { pattern: /\bhelm\b/, what: "Helm", closest: ["flux-reconcile-kustomization", "kustomization-get-kubectl"], tools: true },
  { pattern: /\b(terraform|ansible|pulumi|argocd|docker|istioctl|eksctl|gcloud|az|aws)\b/, what: "tools other than kubectl and flux", closest: [], tools: true },
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

/**
 * A tool's name that is only part of a Kubernetes name ("argocd-server", "aws-node") or a namespace ("-n argocd",
 * "in the argocd namespace") is an object rag-k8s can act on, not a request to run the tool.
 */
const TOOLS = "helm|terraform|ansible|pulumi|argocd|docker|istioctl|eksctl|gcloud|az|aws";
const TOOL_AS_NAME = new RegExp(
  `(?:\\b(?:in|from|of|namespace|ns)\\s+(?:the\\s+)?|(?<!\\S)(?:-n\\s*|--namespace[=\\s]))(?:${TOOLS})(?![\\w-])|[\\w.-](?:${TOOLS})\\b|\\b(?:${TOOLS})[-.]\\w`,
  "g",
);

export function outOfScope(normalisedLower: string): OutOfScope | undefined {
  // The drain card's own flag "--delete-emptydir-data" does not ask to delete anything.
  const text = normalisedLower.replace(/(?<!\S)--(?:delete-emptydir-data|ignore-daemonsets)(?!\S)/g, " ");
  const tools = text.replace(TOOL_AS_NAME, " ");
  const rule = RULES.find((r) => r.pattern.test(r.tools === true ? tools : text));
  return rule && { what: rule.what, closest: rule.closest };
}
