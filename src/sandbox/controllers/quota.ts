import type { Cluster } from "../cluster.js";
import { RESOURCES, typeOf } from "../resources.js";
import type { KubeObject } from "../types.js";
import { A, J, PODS, podActive, spec, status, writeStatus } from "./util.js";

const QUOTAS = typeOf("", "resourcequotas");

/** Object counts a quota can limit by plain name (the quota controller's legacy names). */
const COUNTED: Record<string, string> = { pods: "pods", services: "services", configmaps: "configmaps", secrets: "secrets", persistentvolumeclaims: "persistentvolumeclaims" };

const BINARY: [string, number][] = [["Ei", 2 ** 60], ["Pi", 2 ** 50], ["Ti", 2 ** 40], ["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]];
const DECIMAL: Record<string, number> = { k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A quantity in milli-units ("250m" → 250, "1" → 1000, "1Gi" → 1073741824000). */
export function milliUnits(quantity: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(String(quantity ?? ""));
  if (!m) return 0;
  const n = Number(m[1]);
  const unit = m[2] ?? "";
  if (unit === "m") return n;
  const factor = BINARY.find(([u]) => u === unit)?.[1] ?? DECIMAL[unit] ?? 1;
  return Math.round(n * factor * 1000);
}

/** The canonical form resource.Quantity prints: "500m", "2", "256Mi". */
export function formatQuantity(milli: number, binary: boolean): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const whole = milli / 1000;
  if (binary && whole > 0) for (const [unit, factor] of BINARY) if (whole % factor === 0) return `${whole / factor}${unit}`;
  return String(whole);
}

function containerSum(pods: KubeObject[], kind: "requests" | "limits", resource: string): number {
  let total = 0;
  for (const pod of pods) for (const c of A(spec(pod)["containers"])) total += milliUnits(J(J(J(c)["resources"])[kind])[resource]);
  return total;
}

/** Keeps each ResourceQuota's status.hard and status.used current, as the resource-quota controller does. */
export function reconcileQuotas(cluster: Cluster): void {
  for (const quota of cluster.store.list(QUOTAS)) {
    const namespace = quota.metadata.namespace as string;
    const hard = J(spec(quota)["hard"]);
    const pods = cluster.store.list(PODS, namespace).filter(podActive);
    const used: Record<string, string> = {};
    for (const name of Object.keys(hard)) {
      const counted = COUNTED[name] ?? (name.startsWith("count/") ? name.slice("count/".length) : undefined);
      if (counted) {
        const [plural, group = ""] = counted.split(/\.(.*)/s) as [string, string?];
        const type = RESOURCES.find((r) => r.group === group && r.resource === plural && !r.storedAs && !r.virtual);
        if (type) used[name] = String(plural === "pods" ? pods.length : cluster.store.list(type, namespace).length);
        continue;
      }
      const [kind, resource] = name.includes(".") ? (name.split(".", 2) as [string, string]) : ["requests", name];
      if ((kind === "requests" || kind === "limits") && (resource === "cpu" || resource === "memory")) used[name] = formatQuantity(containerSum(pods, kind, resource), resource === "memory");
    }
    writeStatus(cluster, quota, { ...status(quota), hard, used });
  }
}
