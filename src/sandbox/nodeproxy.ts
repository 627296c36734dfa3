import type { Cluster } from "./cluster.js";
import { NODES, PODS, spec, status } from "./controllers/util.js";
import { nodeMetrics, podMetrics } from "./metrics.js";
import { nodeLogs } from "./nodelogs.js";
import type { Json } from "./types.js";

/**
 * The kubelet endpoints reached through the API server's node proxy (/api/v1/nodes/{node}/proxy/...):
 * `stats/summary` (the Summary API that `kubectl get --raw` and monitoring agents read), `healthz`,
 * `logs` (the node log query, see nodelogs.ts),
 * and a kubelet's plain-text 404 for anything else. Usage is the same the metrics API reports.
 */

export type ProxyAnswer = { kind: "json"; body: Json } | { kind: "text"; code: number; body: string; contentType?: string };

const nanoCores = (cpu: string): number => Number(cpu.replace(/n$/, ""));
const bytes = (memory: string): number => Number(memory.replace(/Ki$/, "")) * 1024;

/** CPU and memory stats; cumulative CPU assumes the current rate held since `since`. */
function usage(time: string, since: string, cpu: string, memory: string): { cpu: Json; memory: Json } {
  const workingSet = bytes(memory);
  const seconds = Math.max(0, (Date.parse(time) - Date.parse(since)) / 1000);
  return {
    cpu: { time, usageNanoCores: nanoCores(cpu), usageCoreNanoSeconds: Math.round(nanoCores(cpu) * seconds) },
    memory: { time, usageBytes: workingSet, workingSetBytes: workingSet, rssBytes: Math.round(workingSet * 0.8), pageFaults: 0, majorPageFaults: 0 },
  };
}

function summary(cluster: Cluster, node: string): Json {
  const time = cluster.now().toISOString().replace(/\.\d+Z$/, "Z");
  const nodeObj = cluster.store.get(NODES, undefined, node);
  const nodeUsage = nodeMetrics(cluster).find((m) => m.metadata.name === node)?.["usage"] as { cpu: string; memory: string } | undefined;
  const podsOnNode = new Map(cluster.store.list(PODS).filter((p) => spec(p)["nodeName"] === node).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]));
  const pods = podMetrics(cluster, undefined).flatMap((m) => {
    const pod = podsOnNode.get(`${m.metadata.namespace}/${m.metadata.name}`);
    if (!pod) return [];
    const started = String(status(pod)["startTime"] ?? time);
    const containers = (m["containers"] as { name: string; usage: { cpu: string; memory: string } }[]).map((c) => ({ name: c.name, startTime: started, ...usage(time, started, c.usage.cpu, c.usage.memory) }));
    const cpu = containers.reduce((n, c) => n + Number(c.cpu["usageNanoCores"]), 0);
    const memory = containers.reduce((n, c) => n + Number(c.memory["workingSetBytes"]), 0);
    return [{ podRef: { name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, startTime: started, containers, ...usage(time, started, `${cpu}n`, `${memory / 1024}Ki`) }];
  });
  const nodeStart = nodeObj?.metadata.creationTimestamp ?? time;
  return {
    node: { nodeName: node, startTime: nodeStart, ...(nodeUsage ? usage(time, nodeStart, nodeUsage.cpu, nodeUsage.memory) : {}) },
    pods,
  };
}

/** Answers one proxied kubelet path, or undefined when the node does not exist (a 404 Status). */
export function nodeProxy(cluster: Cluster, node: string, path: string, params: URLSearchParams): ProxyAnswer | undefined {
  if (!cluster.store.get(NODES, undefined, node)) return undefined;
  if (path === "logs" || path.startsWith("logs/")) {
    const answer = nodeLogs(cluster, node, path.slice("logs/".length), params);
    return { kind: "text", code: answer.code, body: answer.body, contentType: answer.contentType };
  }
  if (path === "stats/summary") return { kind: "json", body: summary(cluster, node) };
  if (path === "healthz") return { kind: "text", code: 200, body: "ok" };
  return { kind: "text", code: 404, body: "404 page not found\n" };
}
