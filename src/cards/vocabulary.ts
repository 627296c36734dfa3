/**
 * The closed vocabularies that requests, cards and retrieval filters share. Intents live in the shared Kubernetes
 * vocabulary; risk levels belong to policy, which assigns them (cards declare theirs on the same scale).
 */
export { INTENTS } from "../kube/index.js";
export type { Intent } from "../kube/index.js";
export { RISK_LEVELS } from "../policy/index.js";
export type { RiskLevel } from "../policy/index.js";

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
