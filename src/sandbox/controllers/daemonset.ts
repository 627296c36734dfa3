import type { Cluster } from "../cluster.js";
import type { KubeObject } from "../types.js";
import { placementProblem } from "./placement.js";
import { ensureRevision, REVISION_HASH_LABEL, revisionTemplate } from "./revisions.js";
import { DAEMONSETS, NODES, PODS, J, controlledBy, createPod, deletePod, intOrPercent, podActive, podReady, spec, writeStatus } from "./util.js";

function reconcileOne(cluster: Cluster, ds: KubeObject, nodes: KubeObject[]): void {
  const update = ensureRevision(cluster, ds);
  const template = revisionTemplate(update);
  const podSpec = J(template["spec"]);
  const eligible = nodes.filter((n) => placementProblem(podSpec, n, true) === undefined);
  const pods = cluster.store.list(PODS, ds.metadata.namespace).filter((p) => controlledBy(p, ds) && podActive(p));
  const byNode = new Map<string, KubeObject>();
  for (const pod of pods) {
    const node = String(spec(pod)["nodeName"] ?? "");
    if (eligible.some((n) => n.metadata.name === node) && !byNode.has(node)) byNode.set(node, pod);
    else {
      deletePod(cluster, pod);
      cluster.events.record(ds, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${pod.metadata.name}`, source: { component: "daemonset-controller" } });
    }
  }
  for (const node of eligible) {
    if (byNode.has(node.metadata.name)) continue;
    const name = `${ds.metadata.name}-${cluster.names.suffix(ds.metadata.name)}`;
    byNode.set(node.metadata.name, createPod(cluster, ds, template, name, { labels: { [REVISION_HASH_LABEL]: update.name.slice(ds.metadata.name.length + 1) }, nodeName: node.metadata.name }));
    cluster.events.record(ds, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${name}`, source: { component: "daemonset-controller" } });
  }
  const isUpdated = (p: KubeObject): boolean => `${ds.metadata.name}-${p.metadata.labels?.[REVISION_HASH_LABEL] ?? ""}` === update.name;
  const strategy = J(spec(ds)["updateStrategy"]);
  if (strategy["type"] !== "OnDelete") {
    const maxUnavailable = Math.max(1, intOrPercent(J(strategy["rollingUpdate"])["maxUnavailable"], eligible.length, false));
    const unavailable = [...byNode.values()].filter((p) => !podReady(p)).length;
    const stale = [...byNode.entries()].filter(([, p]) => !isUpdated(p)).sort((a, b) => a[0].localeCompare(b[0]));
    for (const [node, pod] of stale.slice(0, Math.max(0, maxUnavailable - unavailable))) {
      deletePod(cluster, pod);
      byNode.delete(node);
      cluster.events.record(ds, { type: "Normal", reason: "SuccessfulDelete", message: `Deleted pod: ${pod.metadata.name}`, source: { component: "daemonset-controller" } });
    }
  }
  const list = [...byNode.values()];
  const ready = list.filter(podReady).length;
  const fresh = cluster.store.get(DAEMONSETS, ds.metadata.namespace, ds.metadata.name);
  if (!fresh) return;
  writeStatus(cluster, fresh, {
    currentNumberScheduled: list.length,
    numberMisscheduled: 0,
    desiredNumberScheduled: eligible.length,
    numberReady: ready,
    observedGeneration: fresh.metadata.generation ?? 1,
    updatedNumberScheduled: list.filter(isUpdated).length,
    numberAvailable: ready,
    ...(eligible.length - ready > 0 ? { numberUnavailable: eligible.length - ready } : {}),
  });
}

export function reconcileDaemonSets(cluster: Cluster): void {
  const nodes = cluster.store.list(NODES);
  for (const ds of cluster.store.list(DAEMONSETS)) reconcileOne(cluster, ds, nodes);
}
