import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import { clone } from "../types.js";
import type { Json, KubeObject } from "../types.js";
import { placementProblem } from "./placement.js";
import { NODES, PODS, A, J, podActive, spec, status, writeStatus } from "./util.js";

/** Binds pending pods to the schedulable node running the fewest pods (ties by name), or reports why none fits. */
export function schedulePods(cluster: Cluster): void {
  const nodes = cluster.store.list(NODES).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const pods = cluster.store.list(PODS);
  const load = new Map<string, number>(nodes.map((n) => [n.metadata.name, 0]));
  for (const p of pods) {
    const node = spec(p)["nodeName"];
    if (typeof node === "string" && podActive(p)) load.set(node, (load.get(node) ?? 0) + 1);
  }
  for (const pod of pods) {
    if (typeof spec(pod)["nodeName"] === "string" || !podActive(pod)) continue;
    const problems = new Map<string, number>();
    const fits: KubeObject[] = [];
    for (const node of nodes) {
      const problem = placementProblem(spec(pod), node, false);
      if (problem) problems.set(problem, (problems.get(problem) ?? 0) + 1);
      else fits.push(node);
    }
    const chosen = fits.sort((a, b) => (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0))[0];
    if (chosen) {
      const bound = clone(pod);
      bound["spec"] = { ...spec(pod), nodeName: chosen.metadata.name };
      delete bound.metadata.resourceVersion;
      cluster.store.update(PODS, bound);
      load.set(chosen.metadata.name, (load.get(chosen.metadata.name) ?? 0) + 1);
      cluster.events.record(pod, { type: "Normal", reason: "Scheduled", message: `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${chosen.metadata.name}`, source: { component: "default-scheduler" } });
      continue;
    }
    const reasons = [...problems.entries()].map(([why, n]) => `${n} node(s) ${why}`).join(", ");
    const message = `0/${nodes.length} nodes are available: ${reasons}. preemption: 0/${nodes.length} nodes are available: ${nodes.length} Preemption is not helpful for scheduling.`;
    const conditions = A(status(pod)["conditions"]).map(J);
    if (conditions.some((c) => c["type"] === "PodScheduled" && c["message"] === message)) continue;
    const now = rfc3339(cluster.now());
    const next: Json = { ...status(pod), phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "Unschedulable", message }] };
    writeStatus(cluster, pod, next);
    cluster.events.record(pod, { type: "Warning", reason: "FailedScheduling", message, source: { component: "default-scheduler" } });
  }
}
