/** The closed vocabularies that requests, cards and retrieval filters share. */
export const INTENTS = [
  "restart",
  "status",
  "history",
  "undo",
  "scale",
  "describe",
  "logs",
  "diagnose",
  "events",
  "top",
  "cordon",
  "uncordon",
  "drain",
  "list",
  "view",
  "rerun",
  "get",
  "reconcile",
  "suspend",
  "resume",
] as const;
export type Intent = (typeof INTENTS)[number];

export const RESOURCES = [
  "deployment",
  "statefulset",
  "daemonset",
  "pod",
  "node",
  "namespace",
  "configmap",
  "job",
  "event",
  "kustomization",
  "service",
] as const;
export type Resource = (typeof RESOURCES)[number];

export const RISK_LEVELS = ["none", "low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
