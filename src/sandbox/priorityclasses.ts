import type { ResourceType } from "./resources.js";
import { invalid } from "./status.js";
import type { Json, KubeObject } from "./types.js";

/**
 * scheduling.k8s.io PriorityClasses: the two system classes the API server creates at start, and the
 * rules of its PriorityClass validation that a user meets (pkg/apis/scheduling/validation): values
 * above 1000000000 belong to the system classes, the value cannot change, and preemptionPolicy is
 * PreemptLowerPriority (the default) or Never.
 */

const HIGHEST_USER_DEFINABLE = 1_000_000_000;
const SYSTEM_CRITICAL = 2 * HIGHEST_USER_DEFINABLE;
const PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"];

export const SYSTEM_PRIORITY_CLASSES: readonly { name: string; value: number; description: string }[] = [
  { name: "system-node-critical", value: SYSTEM_CRITICAL + 1000, description: "Used for system critical pods that must not be moved from their current node." },
  { name: "system-cluster-critical", value: SYSTEM_CRITICAL, description: "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary." },
];

export function systemPriorityClass(entry: (typeof SYSTEM_PRIORITY_CLASSES)[number], created: string): KubeObject {
  return { apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", metadata: { name: entry.name, creationTimestamp: created }, value: entry.value, description: entry.description, preemptionPolicy: "PreemptLowerPriority" };
}

/** Defaults and validates a PriorityClass before it is stored; other kinds pass through. */
export function admitPriorityClass(type: ResourceType, pc: KubeObject, current?: KubeObject): void {
  if (type.kind !== "PriorityClass" || type.group !== "scheduling.k8s.io") return;
  const o = pc as Json;
  o["preemptionPolicy"] ??= "PreemptLowerPriority";
  const value = typeof o["value"] === "number" ? o["value"] : 0;
  const fail = (field: string, message: string) => invalid(type, pc.metadata.name, [{ field, message }]);
  if (!PREEMPTION_POLICIES.includes(String(o["preemptionPolicy"]))) throw fail("preemptionPolicy", `Unsupported value: ${JSON.stringify(o["preemptionPolicy"])}: supported values: "Never", "PreemptLowerPriority"`);
  const system = SYSTEM_PRIORITY_CLASSES.find((s) => s.name === pc.metadata.name);
  if (!(system && system.value === value) && value > HIGHEST_USER_DEFINABLE) throw fail("value", `Forbidden: maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE}`);
  if (current && (current as Json)["value"] !== value) throw fail("Value", "Forbidden: may not be changed in an update.");
}
