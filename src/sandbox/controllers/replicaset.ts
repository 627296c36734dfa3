import type { Cluster } from "../cluster.js";
import type { KubeObject } from "../types.js";
import { PODS, REPLICASETS, controlledBy, createPod, deletePod, num, podActive, podReady, spec, status, writeStatus, J } from "./util.js";

/** Deletion preference when scaling down: unscheduled, then not ready, then the newest. */
function deletionRank(pod: KubeObject): number[] {
  const scheduled = typeof spec(pod)["nodeName"] === "string" ? 1 : 0;
  const ready = podReady(pod) ? 1 : 0;
  const created = Date.parse(pod.metadata.creationTimestamp ?? "") || 0;
  return [scheduled, ready, -created];
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if ((a[i] as number) !== (b[i] as number)) return (a[i] as number) - (b[i] as number);
  return 0;
}

export function reconcileReplicaSets(cluster: Cluster): void {
  const allPods = cluster.store.list(PODS);
  for (const rs of cluster.store.list(REPLICASETS)) {
    const pods = allPods.filter((p) => p.metadata.namespace === rs.metadata.namespace && controlledBy(p, rs) && podActive(p));
    const desired = num(spec(rs)["replicas"], 1);
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        const name = `${rs.metadata.name}-${cluster.names.suffix(rs.metadata.name)}`;
        const pod = createPod(cluster, rs, J(spec(rs)["template"]), name);
        pods.push(pod);
        cluster.events.record(rs, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${name}`, source: { component: "replicaset-controller" } });
      }
    } else if (pods.length > desired) {
      const victims = [...pods].sort((a, b) => compareRanks(deletionRank(a), deletionRank(b))).slice(0, pods.length - desired);
      for (const pod of victims) {
        deletePod(cluster, pod);
        cluster.events.record(rs, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${pod.metadata.name}`, source: { component: "replicaset-controller" } });
        pods.splice(pods.indexOf(pod), 1);
      }
    }
    const ready = pods.filter(podReady).length;
    const fresh = cluster.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
    if (!fresh) continue;
    writeStatus(cluster, fresh, {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: fresh.metadata.generation ?? 1,
      ...(status(fresh)["conditions"] ? { conditions: status(fresh)["conditions"] } : {}),
    });
  }
}
