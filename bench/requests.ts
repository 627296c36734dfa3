/**
 * Structured requests as an orchestrator sends them, spread over several cards and decisions (allow, confirm)
 * so a figure is not one cached path. Every one must plan without an error; sections check that first.
 */
export const STRUCTURED_REQUESTS: readonly Record<string, unknown>[] = [
  { intent: "restart", resource: "deployment", namespace: "staging", name: "web" },
  { intent: "status", resource: "deployment", namespace: "staging", name: "web" },
  { intent: "scale", resource: "deployment", namespace: "staging", name: "web", params: { replicas: 3 } },
  { intent: "logs", resource: "pod", namespace: "shop", name: "web-0", params: { tail: 100 } },
  { intent: "describe", resource: "deployment", namespace: "prod", name: "payments-api" },
  { intent: "list", resource: "pod", namespace: "staging", selector: "app=web" },
  { intent: "history", resource: "deployment", namespace: "staging", name: "worker" },
  { intent: "restart", resource: "deployment", namespace: "staging", name: "web", constraints: { dryRun: true } },
];

/** Statuses a plan request may end in; anything else means the bench is measuring an error path. */
export const PLANNED_STATUSES = new Set(["planned", "awaiting_confirmation", "denied"]);

export function assertPlanned(request: unknown, response: { status: string; message?: string }): void {
  if (!PLANNED_STATUSES.has(response.status)) {
    throw new Error(`bench request ${JSON.stringify(request)} ended "${response.status}": ${response.message ?? ""}`);
  }
}

/** Free-text goals as people and agents phrase them: vocabulary hits, misses, names and noise. */
export const FREE_TEXT_GOALS: readonly string[] = [
  "restart the web deployment in staging",
  "pod keeps crashing with CrashLoopBackOff",
  "why is my rollout stuck",
  "scale payments-api to 5 replicas",
  "show logs of the worker pods",
  "image pull error on pod",
  "drain node worker-3 for maintenance",
  "reconcile the flux kustomization apps",
  "recent warning events in prod",
  "what changed in the last deploy, roll back",
];
