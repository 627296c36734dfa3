import type { Cluster } from "../cluster.js";
import type { KubeObject } from "../types.js";
import { ensureRevision, findRevision, REVISION_HASH_LABEL, revisionTemplate } from "./revisions.js";
import { PODS, STATEFULSETS, J, controlledBy, createPod, deletePod, num, podActive, podReady, spec, status, writeStatus } from "./util.js";

function ordinal(sts: KubeObject, pod: KubeObject): number {
  const suffix = pod.metadata.name.slice(sts.metadata.name.length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
}

function reconcileOne(cluster: Cluster, sts: KubeObject): void {
  const update = ensureRevision(cluster, sts);
  const currentName = typeof status(sts)["currentRevision"] === "string" ? (status(sts)["currentRevision"] as string) : update.name;
  const current = findRevision(cluster, sts, currentName) ?? update;
  const replicas = num(spec(sts)["replicas"], 1);
  const ordered = spec(sts)["podManagementPolicy"] !== "Parallel";
  const strategy = J(spec(sts)["updateStrategy"]);
  const partition = num(J(strategy["rollingUpdate"])["partition"]);
  const pods = new Map<number, KubeObject>();
  for (const pod of cluster.store.list(PODS, sts.metadata.namespace)) {
    if (controlledBy(pod, sts) && podActive(pod)) pods.set(ordinal(sts, pod), pod);
  }
  const allReady = (below: number): boolean => [...pods.entries()].every(([i, p]) => i >= below || podReady(p));
  for (let i = 0; i < replicas; i++) {
    if (pods.has(i)) continue;
    if (ordered && !allReady(i)) break;
    const revision = i < partition ? current : update;
    const name = `${sts.metadata.name}-${i}`;
    const pod = createPod(cluster, sts, revisionTemplate(revision), name, {
      labels: { [REVISION_HASH_LABEL]: revision.name, "statefulset.kubernetes.io/pod-name": name, "apps.kubernetes.io/pod-index": String(i) },
      hostname: name,
    });
    pods.set(i, pod);
    cluster.events.record(sts, { type: "Normal", reason: "SuccessfulCreate", message: `create Pod ${name} in StatefulSet ${sts.metadata.name} successful`, source: { component: "statefulset-controller" } });
    if (ordered) break;
  }
  const excess = [...pods.keys()].filter((i) => i >= replicas).sort((a, b) => b - a);
  for (const i of ordered ? excess.slice(0, 1) : excess) {
    const pod = pods.get(i) as KubeObject;
    deletePod(cluster, pod);
    pods.delete(i);
    cluster.events.record(sts, { type: "Normal", reason: "SuccessfulDelete", message: `delete Pod ${pod.metadata.name} in StatefulSet ${sts.metadata.name} successful`, source: { component: "statefulset-controller" } });
  }
  if (strategy["type"] !== "OnDelete" && pods.size === replicas && allReady(replicas)) {
    const stale = [...pods.entries()].filter(([i, p]) => i >= partition && p.metadata.labels?.[REVISION_HASH_LABEL] !== update.name).sort((a, b) => b[0] - a[0]);
    const target = stale[0];
    if (target) {
      deletePod(cluster, target[1]);
      pods.delete(target[0]);
      cluster.events.record(sts, { type: "Normal", reason: "SuccessfulDelete", message: `delete Pod ${target[1].metadata.name} in StatefulSet ${sts.metadata.name} successful`, source: { component: "statefulset-controller" } });
    }
  }
  const list = [...pods.values()];
  const updated = list.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === update.name).length;
  const ready = list.filter(podReady).length;
  const done = updated === replicas && list.length === replicas;
  const fresh = cluster.store.get(STATEFULSETS, sts.metadata.namespace, sts.metadata.name);
  if (!fresh) return;
  writeStatus(cluster, fresh, {
    observedGeneration: fresh.metadata.generation ?? 1,
    replicas: list.length,
    readyReplicas: ready,
    currentReplicas: done ? updated : list.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === current.name).length,
    updatedReplicas: updated,
    availableReplicas: ready,
    currentRevision: done ? update.name : current.name,
    updateRevision: update.name,
    collisionCount: 0,
  });
}

export function reconcileStatefulSets(cluster: Cluster): void {
  for (const sts of cluster.store.list(STATEFULSETS)) reconcileOne(cluster, sts);
}
