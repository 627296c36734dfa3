/** The closed vocabularies that requests, cards and retrieval filters share; intents live in the shared Kubernetes vocabulary. */
export { INTENTS } from "../kube/index.js";
export type { Intent } from "../kube/index.js";

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
