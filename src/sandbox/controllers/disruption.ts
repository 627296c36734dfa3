import type { Cluster } from "../cluster.js";
import { selectorObjectMatcher } from "../selectors.js";
import type { LabelSelectorObject } from "../selectors.js";
import type { Json, KubeObject } from "../types.js";
import { rfc3339 } from "../age.js";
import { PDBS, PODS, REPLICASETS, STATEFULSETS, JOBS, condition, findCondition, intOrPercent, num, podActive, podReady, spec, writeStatus } from "./util.js";

/** Replicas the pods' controllers want, the way the disruption controller derives expectedPods. */
function expectedPods(cluster: Cluster, pods: KubeObject[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const pod of pods) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref) {
      total++;
      continue;
    }
    if (seen.has(ref.uid)) continue;
    seen.add(ref.uid);
    const type = ref.kind === "ReplicaSet" ? REPLICASETS : ref.kind === "StatefulSet" ? STATEFULSETS : ref.kind === "Job" ? JOBS : undefined;
    const owner = type ? cluster.store.get(type, pod.metadata.namespace, ref.name) : undefined;
    total += owner ? num(spec(owner)[ref.kind === "Job" ? "parallelism" : "replicas"], 1) : 1;
  }
  return total;
}

export interface Budget {
  pdb: KubeObject;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

export function budgetFor(cluster: Cluster, pdb: KubeObject): Budget {
  const matches = selectorObjectMatcher(spec(pdb)["selector"] as LabelSelectorObject | undefined);
  const pods = cluster.store.list(PODS, pdb.metadata.namespace).filter((p) => podActive(p) && matches(p.metadata.labels));
  const expected = expectedPods(cluster, pods);
  const currentHealthy = pods.filter(podReady).length;
  const s = spec(pdb);
  const desiredHealthy = s["minAvailable"] !== undefined ? intOrPercent(s["minAvailable"], expected, true) : Math.max(0, expected - intOrPercent(s["maxUnavailable"], expected, true));
  return { pdb, currentHealthy, desiredHealthy, disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy) };
}

export function reconcileDisruptionBudgets(cluster: Cluster): void {
  const now = rfc3339(cluster.now());
  for (const pdb of cluster.store.list(PDBS)) {
    const b = budgetFor(cluster, pdb);
    const matches = selectorObjectMatcher(spec(pdb)["selector"] as LabelSelectorObject | undefined);
    const expected = expectedPods(cluster, cluster.store.list(PODS, pdb.metadata.namespace).filter((p) => podActive(p) && matches(p.metadata.labels)));
    const allowed: Json = b.disruptionsAllowed > 0 ? condition("DisruptionAllowed", true, "SufficientPods", "", now, findCondition(pdb, "DisruptionAllowed")) : condition("DisruptionAllowed", false, "InsufficientPods", "", now, findCondition(pdb, "DisruptionAllowed"));
    delete allowed["lastUpdateTime"];
    allowed["observedGeneration"] = pdb.metadata.generation ?? 1;
    writeStatus(cluster, pdb, {
      observedGeneration: pdb.metadata.generation ?? 1,
      disruptionsAllowed: b.disruptionsAllowed,
      currentHealthy: b.currentHealthy,
      desiredHealthy: b.desiredHealthy,
      expectedPods: expected,
      conditions: [allowed],
    });
  }
}
