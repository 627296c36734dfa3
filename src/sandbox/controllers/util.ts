import { isDeepStrictEqual } from "node:util";
import type { Cluster } from "../cluster.js";
import { typeOf } from "../resources.js";
import { clone, isRecord } from "../types.js";
import type { Json, KubeObject, OwnerReference } from "../types.js";

export const PODS = typeOf("", "pods");
export const NODES = typeOf("", "nodes");
export const DEPLOYMENTS = typeOf("apps", "deployments");
export const REPLICASETS = typeOf("apps", "replicasets");
export const STATEFULSETS = typeOf("apps", "statefulsets");
export const DAEMONSETS = typeOf("apps", "daemonsets");
export const REVISIONS = typeOf("apps", "controllerrevisions");
export const JOBS = typeOf("batch", "jobs");
export const PDBS = typeOf("policy", "poddisruptionbudgets");
export const SERVICES = typeOf("", "services");
export const ENDPOINTS = typeOf("", "endpoints");
export const ENDPOINTSLICES = typeOf("discovery.k8s.io", "endpointslices");
export const KUSTOMIZATIONS = typeOf("kustomize.toolkit.fluxcd.io", "kustomizations");
export const GITREPOSITORIES = typeOf("source.toolkit.fluxcd.io", "gitrepositories");

export const J = (o: unknown): Json => (isRecord(o) ? o : {});
export const A = (o: unknown): unknown[] => (Array.isArray(o) ? o : []);
export const num = (o: unknown, fallback = 0): number => (typeof o === "number" ? o : fallback);
export const spec = (o: KubeObject): Json => J(o["spec"]);
export const status = (o: KubeObject): Json => J(o["status"]);

export function controllerRef(owner: KubeObject): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid ?? "", controller: true, blockOwnerDeletion: true };
}

export function controlledBy(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === owner.metadata.uid);
}

export function podConditionTrue(pod: KubeObject, type: string): boolean {
  return A(status(pod)["conditions"]).some((c) => J(c)["type"] === type && J(c)["status"] === "True");
}

export const podReady = (pod: KubeObject): boolean => podConditionTrue(pod, "Ready");

/** Not finished and not being deleted: what a workload controller counts toward its replicas. */
export function podActive(pod: KubeObject): boolean {
  const phase = status(pod)["phase"];
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata.deletionTimestamp;
}

/** Writes `next` as the object's status when it differs; returns the object as stored. */
export function writeStatus(cluster: Cluster, obj: KubeObject, next: Json): KubeObject {
  if (isDeepStrictEqual(obj["status"], next)) return obj;
  const copy = clone(obj);
  copy["status"] = next;
  delete copy.metadata.resourceVersion;
  return cluster.store.update(typeOf(obj.apiVersion.includes("/") ? (obj.apiVersion.split("/")[0] as string) : "", resourcePlural(obj.kind)), copy);
}

const PLURALS: Record<string, string> = {
  Pod: "pods",
  Deployment: "deployments",
  ReplicaSet: "replicasets",
  StatefulSet: "statefulsets",
  DaemonSet: "daemonsets",
  Job: "jobs",
  CronJob: "cronjobs",
  PodDisruptionBudget: "poddisruptionbudgets",
  Kustomization: "kustomizations",
  GitRepository: "gitrepositories",
  Node: "nodes",
  Service: "services",
  ResourceQuota: "resourcequotas",
  Namespace: "namespaces",
};

function resourcePlural(kind: string): string {
  const plural = PLURALS[kind];
  if (!plural) throw new Error(`sandbox: no status writer for kind ${kind}`);
  return plural;
}

/** Writes a changed spec or metadata (the controller's own fields, e.g. replicas or annotations). */
export function writeObject(cluster: Cluster, before: KubeObject, after: KubeObject): KubeObject {
  if (isDeepStrictEqual(before, after)) return before;
  const copy = clone(after);
  delete copy.metadata.resourceVersion;
  return cluster.store.update(typeOf(after.apiVersion.includes("/") ? (after.apiVersion.split("/")[0] as string) : "", resourcePlural(after.kind)), copy);
}

/** Resolves an IntOrString like "25%" against a total, rounding up (surge) or down (unavailable). */
export function intOrPercent(value: unknown, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.endsWith("%")) {
    const scaled = (Number(value.slice(0, -1)) * total) / 100;
    return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
  }
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return 0;
}

export function condition(type: string, statusValue: boolean, reason: string, message: string, now: string, previous?: Json): Json {
  const s = statusValue ? "True" : "False";
  const unchanged = previous && previous["status"] === s;
  return {
    type,
    status: s,
    lastUpdateTime: previous && unchanged && previous["reason"] === reason ? previous["lastUpdateTime"] ?? now : now,
    lastTransitionTime: unchanged ? previous["lastTransitionTime"] ?? now : now,
    reason,
    message,
  };
}

export function findCondition(obj: KubeObject, type: string): Json | undefined {
  return A(status(obj)["conditions"]).map(J).find((c) => c["type"] === type);
}

/** Creates a pod from a template, owned by `owner`, as the workload controllers do. */
export function createPod(cluster: Cluster, owner: KubeObject, template: Json, name: string, extra: { labels?: Record<string, string>; nodeName?: string; hostname?: string } = {}): KubeObject {
  const tmeta = J(template["metadata"]);
  const podSpec = clone(J(template["spec"]));
  if (extra.nodeName) podSpec["nodeName"] = extra.nodeName;
  if (extra.hostname) podSpec["hostname"] = extra.hostname;
  const pod = cluster.store.create(PODS, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: owner.metadata.namespace as string,
      labels: { ...(tmeta["labels"] as Record<string, string> | undefined), ...extra.labels },
      ...(isRecord(tmeta["annotations"]) ? { annotations: clone(tmeta["annotations"]) as Record<string, string> } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: podSpec,
    status: { phase: "Pending", qosClass: "BestEffort" },
  });
  return pod;
}

export function deletePod(cluster: Cluster, pod: KubeObject, reasonComponent = "kubelet"): void {
  const node = spec(pod)["nodeName"];
  if (typeof node === "string" && podActive(pod)) {
    for (const c of A(spec(pod)["containers"])) {
      const name = String(J(c)["name"]);
      cluster.events.record(pod, { type: "Normal", reason: "Killing", message: `Stopping container ${name}`, source: { component: reasonComponent, host: node }, fieldPath: `spec.containers{${name}}` });
    }
  }
  cluster.store.delete(PODS, pod.metadata.namespace, pod.metadata.name);
}
