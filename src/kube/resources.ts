/**
 * The built-in API resources rag-k8s can name, as kubectl (and the Flux CRDs) spell them: plural, singular,
 * short names, the API groups that serve them and their scope. The policy's command parser, the goal
 * vocabulary (kinds.ts) and the executors derive their tables from this one.
 */
export interface ResourceInfo {
  /** Lowercase plural, the canonical name ("deployments"). */
  readonly plural: string;
  /** Lowercase singular ("deployment"); equal to the plural where kubectl has no other ("endpoints"). */
  readonly singular: string;
  /** kubectl short names, as discovery lists them ("deploy"). */
  readonly short: readonly string[];
  /** API groups that serve it, the preferred first ("" is the core group). `TYPE.GROUP` is this resource only for these. */
  readonly groups: readonly string[];
  /** Whether its objects live in a namespace. */
  readonly namespaced: boolean;
}

const APPS = ["apps"];
const RBAC = ["rbac.authorization.k8s.io"];
const NETWORKING = ["networking.k8s.io"];
const STORAGE = ["storage.k8s.io"];
const ADMISSION = ["admissionregistration.k8s.io"];
const FLUX_SOURCES = ["source.toolkit.fluxcd.io"];

type Row = readonly [plural: string, singular: string, short: readonly string[], groups: readonly string[], scope: "namespaced" | "cluster"];

const ROWS: readonly Row[] = [
  ["pods", "pod", ["po"], ["", "metrics.k8s.io"], "namespaced"],
  ["deployments", "deployment", ["deploy"], APPS, "namespaced"],
  ["statefulsets", "statefulset", ["sts"], APPS, "namespaced"],
  ["daemonsets", "daemonset", ["ds"], APPS, "namespaced"],
  ["replicasets", "replicaset", ["rs"], APPS, "namespaced"],
  ["nodes", "node", ["no"], ["", "metrics.k8s.io"], "cluster"],
  ["namespaces", "namespace", ["ns"], [""], "cluster"],
  ["configmaps", "configmap", ["cm"], [""], "namespaced"],
  ["secrets", "secret", [], [""], "namespaced"],
  ["services", "service", ["svc"], [""], "namespaced"],
  ["ingresses", "ingress", ["ing"], NETWORKING, "namespaced"],
  ["events", "event", ["ev"], ["", "events.k8s.io"], "namespaced"],
  ["jobs", "job", [], ["batch"], "namespaced"],
  ["cronjobs", "cronjob", ["cj"], ["batch"], "namespaced"],
  ["persistentvolumeclaims", "persistentvolumeclaim", ["pvc"], [""], "namespaced"],
  ["persistentvolumes", "persistentvolume", ["pv"], [""], "cluster"],
  ["serviceaccounts", "serviceaccount", ["sa"], [""], "namespaced"],
  ["endpoints", "endpoints", ["ep"], [""], "namespaced"],
  ["endpointslices", "endpointslice", [], ["discovery.k8s.io"], "namespaced"],
  ["poddisruptionbudgets", "poddisruptionbudget", ["pdb"], ["policy"], "namespaced"],
  ["horizontalpodautoscalers", "horizontalpodautoscaler", ["hpa"], ["autoscaling"], "namespaced"],
  ["networkpolicies", "networkpolicy", ["netpol"], NETWORKING, "namespaced"],
  ["storageclasses", "storageclass", ["sc"], STORAGE, "cluster"],
  ["customresourcedefinitions", "customresourcedefinition", ["crd", "crds"], ["apiextensions.k8s.io"], "cluster"],
  ["clusterroles", "clusterrole", [], RBAC, "cluster"],
  ["clusterrolebindings", "clusterrolebinding", [], RBAC, "cluster"],
  ["roles", "role", [], RBAC, "namespaced"],
  ["rolebindings", "rolebinding", [], RBAC, "namespaced"],
  ["priorityclasses", "priorityclass", ["pc"], ["scheduling.k8s.io"], "cluster"],
  ["ingressclasses", "ingressclass", [], NETWORKING, "cluster"],
  ["limitranges", "limitrange", ["limits"], [""], "namespaced"],
  ["resourcequotas", "resourcequota", ["quota"], [""], "namespaced"],
  ["kustomizations", "kustomization", ["ks"], ["kustomize.toolkit.fluxcd.io"], "namespaced"],
  ["helmreleases", "helmrelease", ["hr"], ["helm.toolkit.fluxcd.io"], "namespaced"],
  ["gitrepositories", "gitrepository", ["gitrepo"], FLUX_SOURCES, "namespaced"],
  ["helmrepositories", "helmrepository", ["helmrepo"], FLUX_SOURCES, "namespaced"],
  ["ocirepositories", "ocirepository", ["ocirepo"], FLUX_SOURCES, "namespaced"],
  ["replicationcontrollers", "replicationcontroller", ["rc"], [""], "namespaced"],
  ["podtemplates", "podtemplate", [], [""], "namespaced"],
  ["controllerrevisions", "controllerrevision", [], APPS, "namespaced"],
  ["leases", "lease", [], ["coordination.k8s.io"], "namespaced"],
  ["componentstatuses", "componentstatus", ["cs"], [""], "cluster"],
  ["apiservices", "apiservice", [], ["apiregistration.k8s.io"], "cluster"],
  ["certificatesigningrequests", "certificatesigningrequest", ["csr"], ["certificates.k8s.io"], "cluster"],
  ["validatingwebhookconfigurations", "validatingwebhookconfiguration", [], ADMISSION, "cluster"],
  ["mutatingwebhookconfigurations", "mutatingwebhookconfiguration", [], ADMISSION, "cluster"],
  ["csidrivers", "csidriver", [], STORAGE, "cluster"],
  ["csinodes", "csinode", [], STORAGE, "cluster"],
  ["volumeattachments", "volumeattachment", [], STORAGE, "cluster"],
  ["runtimeclasses", "runtimeclass", [], ["node.k8s.io"], "cluster"],
];

/** Every built-in resource by its plural. */
export const API_RESOURCES: ReadonlyMap<string, ResourceInfo> = new Map(
  ROWS.map(([plural, singular, short, groups, scope]) => [plural, { plural, singular, short, groups, namespaced: scope === "namespaced" }]),
);

/** How kubectl accepts a resource's name without a group: short names, singular, plural (each once). */
export function resourceForms(info: ResourceInfo): readonly string[] {
  return [...new Set([...info.short, info.singular, info.plural])];
}

const BY_FORM: ReadonlyMap<string, string> = new Map([...API_RESOURCES.values()].flatMap((info) => resourceForms(info).map((form) => [form, info.plural] as const)));

/** The plural a lowercase, group-less name stands for ("sts" → "statefulsets"), or undefined. Case-sensitive. */
export function resourceOf(form: string): string | undefined {
  return BY_FORM.get(form);
}

const API_VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;

/**
 * `deploy`, `Deployment`, `deployments.apps`, `deployments.v1.apps`, `events.events.k8s.io`,
 * `kustomizations.kustomize.toolkit.fluxcd.io` → the canonical plural, as kubectl reads `TYPE`,
 * `TYPE.GROUP` and `TYPE.VERSION.GROUP`. The group must be one that serves the resource: a CRD may be called
 * `configmaps.example.com`, and it must not pass as the built-in one. Unknown types (custom resources), and
 * known ones in another group, come back lower-cased as written.
 */
export function normalizeResource(type: string): string {
  const lower = type.toLowerCase();
  const dot = lower.indexOf(".");
  const plural = BY_FORM.get(dot === -1 ? lower : lower.slice(0, dot));
  if (plural === undefined) return lower;
  if (dot === -1) return plural;
  const rest = lower.slice(dot + 1);
  const [first = "", ...others] = rest.split(".");
  const group = API_VERSION.test(first) ? others.join(".") : rest;
  return API_RESOURCES.get(plural)?.groups.includes(group) ? plural : lower;
}

/** The resource of a plural; throws on a name this table lacks (a programming error: tables derive from it). */
export function apiResource(plural: string): ResourceInfo {
  const info = API_RESOURCES.get(plural);
  if (info === undefined) throw new Error(`"${plural}" is not in the API resource table (src/kube/resources.ts)`);
  return info;
}

/**
 * Workload kinds `kubectl rollout` acts on: their pods are found through `.spec.selector` and replaced by
 * a rolling update. Lowercase singular, as cards and requests name kinds.
 */
export const ROLLOUT_KINDS: ReadonlySet<string> = new Set(["deployment", "statefulset", "daemonset"]);
