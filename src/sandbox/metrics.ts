import { rfc3339 } from "./age.js";
import type { Cluster } from "./cluster.js";
import { PODS, NODES, A, J, spec, status } from "./controllers/util.js";
import { fnv32a } from "./names.js";
import type { Json, KubeObject } from "./types.js";

/** CPU in millicores and memory in bytes from Kubernetes quantities ("250m", "2", "512Mi", "1Gi"). */
function cpuMillis(q: string): number {
  return q.endsWith("m") ? Number(q.slice(0, -1)) : Number(q) * 1000;
}
const BINARY: Record<string, number> = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
function memoryBytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
  if (!m) return 0;
  const unit = m[2] ?? "";
  return Number(m[1]) * (BINARY[unit] ?? ({ k: 1e3, M: 1e6, G: 1e9 } as Record<string, number>)[unit] ?? 1);
}

interface Usage {
  cpu: number;
  memory: number;
}

/** A running container's usage: the image's declared usage, else a stable value derived from its identity. */
function containerUsage(cluster: Cluster, pod: KubeObject, container: Json): Usage {
  const declared = cluster.images.behavior(String(container["image"] ?? "")).usage;
  if (declared) return { cpu: cpuMillis(declared.cpu), memory: memoryBytes(declared.memory) };
  const h = fnv32a(`${pod.metadata.namespace}/${pod.metadata.name}/${String(container["name"])}`);
  return { cpu: 2 + (h % 120), memory: (24 + ((h >>> 8) % 360)) * 1024 ** 2 };
}

const runningContainers = (pod: KubeObject): Set<string> =>
  new Set(A(status(pod)["containerStatuses"]).map(J).filter((s) => J(s["state"])["running"] !== undefined).map((s) => String(s["name"])));

const fmtCpu = (millis: number): string => `${Math.round(millis * 1e6)}n`;
const fmtMemory = (bytes: number): string => `${Math.round(bytes / 1024)}Ki`;

/** PodMetrics for running pods (metrics-server reports only containers it has samples for). */
export function podMetrics(cluster: Cluster, namespace: string | undefined): KubeObject[] {
  const now = cluster.now();
  const out: KubeObject[] = [];
  for (const pod of cluster.store.list(PODS, namespace)) {
    const running = runningContainers(pod);
    if (!running.size) continue;
    const containers = A(spec(pod)["containers"]).map(J).filter((c) => running.has(String(c["name"])));
    out.push({
      kind: "PodMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace as string, creationTimestamp: rfc3339(now), labels: pod.metadata.labels ?? {} },
      timestamp: rfc3339(now),
      window: "15s",
      containers: containers.map((c) => {
        const u = containerUsage(cluster, pod, c);
        return { name: c["name"], usage: { cpu: fmtCpu(u.cpu), memory: fmtMemory(u.memory) } };
      }),
    });
  }
  return out;
}

/** NodeMetrics: the node's system overhead plus its running pods. */
export function nodeMetrics(cluster: Cluster): KubeObject[] {
  const now = cluster.now();
  const pods = cluster.store.list(PODS);
  return cluster.store.list(NODES).map((node) => {
    let cpu = 180 + (fnv32a(node.metadata.name) % 90);
    let memory = (900 + (fnv32a(node.metadata.name) % 300)) * 1024 ** 2;
    for (const pod of pods) {
      if (spec(pod)["nodeName"] !== node.metadata.name) continue;
      const running = runningContainers(pod);
      for (const c of A(spec(pod)["containers"]).map(J)) {
        if (!running.has(String(c["name"]))) continue;
        const u = containerUsage(cluster, pod, c);
        cpu += u.cpu;
        memory += u.memory;
      }
    }
    return {
      kind: "NodeMetrics",
      apiVersion: "metrics.k8s.io/v1beta1",
      metadata: { name: node.metadata.name, creationTimestamp: rfc3339(now), labels: node.metadata.labels ?? {} },
      timestamp: rfc3339(now),
      window: "20s",
      usage: { cpu: fmtCpu(cpu), memory: fmtMemory(memory) },
    };
  });
}
