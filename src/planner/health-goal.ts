/**
 * Goals that ask about the health of a namespace or the whole cluster ("what's wrong in my cluster?", "is
 * anything broken in prod", "cluster health"), answered by the health scan rather than one card. Deliberately
 * narrow: the whole goal must be such a question, so anything naming an object or a verb of its own
 * ("why is pod web crashing", "restart what is broken") goes to the goal parser as before.
 */
const QUESTIONS: readonly RegExp[] = [
  /^(?:what(?:'s|s| is)|whats) (?:wrong|broken|failing|unhealthy|not working)(?: with| in| on)?(?: (?:my|the|our))?(?: (?:cluster|k8s|kubernetes))?$/,
  /^(?:(?:is|are) )?(?:anything|something|there anything|any (?:pods?|workloads?|things?)) (?:broken|wrong|failing|unhealthy|down)(?: (?:with|in|on))?(?: (?:my|the|our))?(?: (?:cluster|k8s|kubernetes))?$/,
  /^(?:(?:check|show|scan|diagnose)(?: (?:my|the|our))? )?(?:cluster|k8s|kubernetes|namespace) (?:health|status)(?: check)?$/,
  /^(?:(?:check|show|scan)(?: (?:my|the|our))? )?health(?: check)?(?: of)?(?: (?:my|the|our))?(?: (?:cluster|k8s|kubernetes))?$/,
  /^(?:is|are) (?:my|the|our) (?:cluster|k8s|kubernetes) (?:healthy|ok|okay|fine)$/,
];

/** "in prod", "in namespace prod", "in the prod namespace", "-n prod", "prod namespace": the namespace, and the goal without it. */
const NAMESPACE = /(?:^| )(?:(?:in|on|of|for) (?:the )?(?:namespace |ns )?([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)(?: namespace)?|-n ([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)|--namespace[= ]([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?))$/;

/** Words that mean the cluster as a whole where a namespace would stand. */
const WHOLE_CLUSTER: ReadonlySet<string> = new Set(["cluster", "k8s", "kubernetes", "everything", "all", "it"]);

/** The scope of a health question, or null when the goal is not one. `namespace` null: all namespaces. */
export function healthQuestion(goal: string): { readonly namespace: string | null } | null {
  let text = goal
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/[?!.]+$/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/ (?:right now|now|currently|at the moment)$/, "");
  if (text.length > 120) return null;
  let namespace: string | null = null;
  const scoped = NAMESPACE.exec(text);
  if (scoped) {
    const name = scoped[1] ?? scoped[2] ?? scoped[3] ?? "";
    const rest = text.slice(0, scoped.index).trim();
    if (!WHOLE_CLUSTER.has(name) && !/^(?:my|the|our)$/.test(name)) {
      namespace = name;
      text = rest;
    } else if (WHOLE_CLUSTER.has(name)) text = rest;
  }
  text = text.replace(/ (?:with|in|on)$/, "");
  return QUESTIONS.some((q) => q.test(text)) ? { namespace } : null;
}
