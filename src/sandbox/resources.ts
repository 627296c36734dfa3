import { isRecord } from "./types.js";
import type { KubeObject } from "./types.js";

/** What a field selector can read from an object of one resource (the API server's per-kind "field labels"). */
export type FieldGetter = (obj: KubeObject) => string | undefined;

export interface Subresource {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** One served resource, as discovery describes it and as the router and store need it. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** Plural, as in the URL. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: Subresource[];
  /** Writes to the main resource keep status (status is a subresource) and bump generation on spec changes. */
  statusSubresource: boolean;
  fieldLabels: Record<string, FieldGetter>;
  /** Computed, never stored (metrics). */
  virtual?: boolean;
  /** Another resource whose storage this one shares (events.k8s.io events live in core events). */
  storedAs?: { group: string; resource: string };
}

const RW = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const RO = ["get", "list"];

function path(obj: KubeObject, dotted: string): string | undefined {
  let cur: unknown = obj;
  for (const part of dotted.split(".")) {
    if (!isRecord(cur)) return undefined;
    cur = cur[part];
  }
  if (cur === undefined || cur === null) return "";
  return typeof cur === "object" ? JSON.stringify(cur) : String(cur);
}

function fields(...names: string[]): Record<string, FieldGetter> {
  const out: Record<string, FieldGetter> = {
    "metadata.name": (o) => o.metadata.name,
    "metadata.namespace": (o) => o.metadata.namespace ?? "",
  };
  for (const name of names) out[name] = (o) => path(o, name);
  return out;
}

const eventFields = fields(
  "involvedObject.kind",
  "involvedObject.namespace",
  "involvedObject.name",
  "involvedObject.uid",
  "involvedObject.apiVersion",
  "involvedObject.resourceVersion",
  "involvedObject.fieldPath",
  "reason",
  "reportingComponent",
  "type",
);
eventFields["source"] = (o) => path(o, "source.component");

interface Spec {
  group?: string;
  version: string;
  kind: string;
  resource: string;
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: Subresource[];
  statusSubresource?: boolean;
  fieldLabels?: Record<string, FieldGetter>;
  virtual?: boolean;
  storedAs?: { group: string; resource: string };
}

function define(spec: Spec): ResourceType {
  const statusSubresource = spec.statusSubresource ?? false;
  const subresources = [...(spec.subresources ?? [])];
  if (statusSubresource) subresources.unshift({ name: "status", kind: spec.kind, verbs: ["get", "patch", "update"] });
  return {
    group: spec.group ?? "",
    version: spec.version,
    kind: spec.kind,
    resource: spec.resource,
    singular: spec.kind.toLowerCase(),
    namespaced: spec.namespaced ?? true,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? RW,
    subresources,
    statusSubresource,
    fieldLabels: spec.fieldLabels ?? fields(),
    ...(spec.virtual ? { virtual: true } : {}),
    ...(spec.storedAs ? { storedAs: spec.storedAs } : {}),
  };
}

const scale = (verbs = ["get", "patch", "update"]): Subresource => ({
  name: "scale",
  kind: "Scale",
  group: "autoscaling",
  version: "v1",
  verbs,
});

export const RESOURCES: readonly ResourceType[] = [
  define({ version: "v1", kind: "Namespace", resource: "namespaces", namespaced: false, shortNames: ["ns"], statusSubresource: true, fieldLabels: fields("status.phase"), verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] }),
  define({
    version: "v1",
    kind: "Pod",
    resource: "pods",
    shortNames: ["po"],
    categories: ["all"],
    statusSubresource: true,
    subresources: [
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "eviction", kind: "Eviction", group: "policy", version: "v1", verbs: ["create"] },
      { name: "ephemeralcontainers", kind: "Pod", verbs: ["get", "patch", "update"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"] },
      { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
    ],
    fieldLabels: fields("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
  }),
  define({ version: "v1", kind: "Event", resource: "events", shortNames: ["ev"], fieldLabels: eventFields }),
  define({ version: "v1", kind: "Node", resource: "nodes", namespaced: false, shortNames: ["no"], statusSubresource: true, fieldLabels: fields("spec.unschedulable") }),
  define({ version: "v1", kind: "ConfigMap", resource: "configmaps", shortNames: ["cm"] }),
  define({ version: "v1", kind: "Secret", resource: "secrets", fieldLabels: fields("type") }),
  define({ version: "v1", kind: "Service", resource: "services", shortNames: ["svc"], categories: ["all"], statusSubresource: true }),
  define({ version: "v1", kind: "Endpoints", resource: "endpoints", shortNames: ["ep"] }),
  define({ group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", resource: "endpointslices" }),
  define({ version: "v1", kind: "ServiceAccount", resource: "serviceaccounts", shortNames: ["sa"] }),
  define({ group: "apps", version: "v1", kind: "Deployment", resource: "deployments", shortNames: ["deploy"], categories: ["all"], statusSubresource: true, subresources: [scale()] }),
  define({ group: "apps", version: "v1", kind: "ReplicaSet", resource: "replicasets", shortNames: ["rs"], categories: ["all"], statusSubresource: true, subresources: [scale()], fieldLabels: fields("status.replicas") }),
  define({ group: "apps", version: "v1", kind: "StatefulSet", resource: "statefulsets", shortNames: ["sts"], categories: ["all"], statusSubresource: true, subresources: [scale()] }),
  define({ group: "apps", version: "v1", kind: "DaemonSet", resource: "daemonsets", shortNames: ["ds"], categories: ["all"], statusSubresource: true }),
  define({ group: "apps", version: "v1", kind: "ControllerRevision", resource: "controllerrevisions" }),
  define({ group: "batch", version: "v1", kind: "Job", resource: "jobs", categories: ["all"], statusSubresource: true, fieldLabels: fields("status.successful") }),
  define({ group: "batch", version: "v1", kind: "CronJob", resource: "cronjobs", shortNames: ["cj"], categories: ["all"], statusSubresource: true }),
  define({ group: "policy", version: "v1", kind: "PodDisruptionBudget", resource: "poddisruptionbudgets", shortNames: ["pdb"], statusSubresource: true }),
  define({ group: "coordination.k8s.io", version: "v1", kind: "Lease", resource: "leases" }),
  define({ group: "events.k8s.io", version: "v1", kind: "Event", resource: "events", shortNames: ["ev"], fieldLabels: eventFields, storedAs: { group: "", resource: "events" } }),
  define({ group: "metrics.k8s.io", version: "v1beta1", kind: "PodMetrics", resource: "pods", verbs: RO, virtual: true }),
  define({ group: "metrics.k8s.io", version: "v1beta1", kind: "NodeMetrics", resource: "nodes", namespaced: false, verbs: RO, virtual: true }),
  define({ group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", resource: "selfsubjectaccessreviews", namespaced: false, verbs: ["create"], virtual: true }),
  define({ group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", resource: "selfsubjectrulesreviews", namespaced: false, verbs: ["create"], virtual: true }),
  define({ group: "authentication.k8s.io", version: "v1", kind: "SelfSubjectReview", resource: "selfsubjectreviews", namespaced: false, verbs: ["create"], virtual: true }),
  define({ version: "v1", kind: "PersistentVolumeClaim", resource: "persistentvolumeclaims", shortNames: ["pvc"], statusSubresource: true }),
  define({ version: "v1", kind: "PersistentVolume", resource: "persistentvolumes", namespaced: false, shortNames: ["pv"], statusSubresource: true }),
  define({ version: "v1", kind: "ResourceQuota", resource: "resourcequotas", shortNames: ["quota"], statusSubresource: true }),
  define({ version: "v1", kind: "LimitRange", resource: "limitranges", shortNames: ["limits"] }),
  define({ group: "networking.k8s.io", version: "v1", kind: "Ingress", resource: "ingresses", shortNames: ["ing"], statusSubresource: true }),
  define({ group: "networking.k8s.io", version: "v1", kind: "IngressClass", resource: "ingressclasses", namespaced: false }),
  define({ group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", resource: "networkpolicies", shortNames: ["netpol"] }),
  define({ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", resource: "horizontalpodautoscalers", shortNames: ["hpa"], categories: ["all"], statusSubresource: true }),
  define({ group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", resource: "priorityclasses", namespaced: false, shortNames: ["pc"] }),
  define({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", resource: "roles" }),
  define({ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", resource: "rolebindings" }),
  define({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", resource: "clusterroles", namespaced: false }),
  define({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", resource: "clusterrolebindings", namespaced: false }),
  define({ group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", resource: "customresourcedefinitions", namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], verbs: RO, virtual: true }),
  define({ group: "kustomize.toolkit.fluxcd.io", version: "v1", kind: "Kustomization", resource: "kustomizations", shortNames: ["ks"], statusSubresource: true }),
  define({ group: "helm.toolkit.fluxcd.io", version: "v2", kind: "HelmRelease", resource: "helmreleases", shortNames: ["hr"], statusSubresource: true }),
  define({ group: "source.toolkit.fluxcd.io", version: "v1", kind: "GitRepository", resource: "gitrepositories", shortNames: ["gitrepo"], statusSubresource: true }),
];

/** Groups in the order discovery lists them; kubectl resolves ambiguous names (events) by this order. */
export const GROUP_ORDER: readonly string[] = [...new Set(RESOURCES.map((r) => r.group))];

export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group === "" ? type.version : `${type.group}/${type.version}`;
}

/** The storage key: resources that share storage with another map to that one. */
export function storageKey(type: ResourceType): string {
  const target = type.storedAs ?? type;
  return `${target.group}/${target.resource}`;
}

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

/** The primary (stored) resource type for a kind, e.g. "Deployment" in "apps". */
export function resourceForKind(apiVersion: string, kind: string): ResourceType | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return RESOURCES.find((r) => r.group === group && r.version === version && r.kind === kind && !r.storedAs && !r.virtual);
}

export function typeOf(group: string, resource: string): ResourceType {
  const found = RESOURCES.find((r) => r.group === group && r.resource === resource && !r.storedAs && !r.virtual);
  if (!found) throw new Error(`sandbox: no stored resource ${resource}.${group}`);
  return found;
}
