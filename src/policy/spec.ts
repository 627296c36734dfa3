/**
 * What rag-k8s knows of kubectl's and flux's command lines: verbs, each verb's allowed flags and their
 * arity, resource aliases and scope. Anything not listed here is refused (an allow-list, not a deny-list).
 */

export type Arity = "bool" | "value";
export interface FlagSpec {
  readonly arity: Arity;
  /** Single-letter alias for this verb (pflag allows e.g. `-p` to mean --previous for logs, --patch for patch). */
  readonly short?: string;
}

export interface VerbSpec {
  readonly readOnly: boolean;
  readonly flags: Readonly<Record<string, FlagSpec>>;
  /** How positionals are read: resource specs (TYPE NAME / TYPE/NAME), node names, pod names, or none. */
  readonly positionals: "resources" | "nodes" | "pod" | "names" | "flux-kind" | "none";
  /** Whether kubectl 1.31 accepts --dry-run=server on this verb. */
  readonly serverDryRun: boolean;
}

const v = (short?: string): FlagSpec => (short ? { arity: "value", short } : { arity: "value" });
const b = (short?: string): FlagSpec => (short ? { arity: "bool", short } : { arity: "bool" });

const NS = { namespace: v("n") };
const SELECT = { selector: v("l"), "field-selector": v() };
const OUTPUT = { output: v("o"), "no-headers": b(), "show-labels": b(), "sort-by": v(), "label-columns": v("L"), "show-kind": b() };
const DRY = { "dry-run": v() };
const COMMON = { "request-timeout": v() };

function verb(readOnly: boolean, flags: Record<string, FlagSpec>, positionals: VerbSpec["positionals"], serverDryRun = false): VerbSpec {
  return { readOnly, flags: { ...COMMON, ...flags }, positionals, serverDryRun };
}

/** Verb ids: kubectl verbs as written ("rollout restart"), flux verbs prefixed with "flux ". */
export const VERBS: Readonly<Record<string, VerbSpec>> = {
  get: verb(true, { ...NS, "all-namespaces": b("A"), ...SELECT, ...OUTPUT, "ignore-not-found": b(), "chunk-size": v() }, "resources"),
  describe: verb(true, { ...NS, "all-namespaces": b("A"), ...SELECT, "show-events": b(), "chunk-size": v() }, "resources"),
  logs: verb(
    true,
    {
      ...NS,
      selector: v("l"),
      container: v("c"),
      "all-containers": b(),
      previous: b("p"),
      since: v(),
      "since-time": v(),
      tail: v(),
      timestamps: b(),
      prefix: b(),
      "limit-bytes": v(),
      "max-log-requests": v(),
      "ignore-errors": b(),
      "pod-running-timeout": v(),
    },
    "pod",
  ),
  "top pod": verb(true, { ...NS, "all-namespaces": b("A"), ...SELECT, "sort-by": v(), containers: b(), "no-headers": b(), sum: b() }, "names"),
  "top node": verb(true, { selector: v("l"), "sort-by": v(), "no-headers": b(), "show-capacity": b() }, "names"),
  events: verb(true, { ...NS, "all-namespaces": b("A"), for: v(), types: v(), output: v("o"), "no-headers": b() }, "none"),
  "rollout status": verb(true, { ...NS, selector: v("l"), timeout: v(), revision: v(), watch: b("w") }, "resources"),
  "rollout history": verb(true, { ...NS, selector: v("l"), revision: v(), output: v("o") }, "resources"),
  "rollout restart": verb(false, { ...NS, selector: v("l") }, "resources"),
  "rollout undo": verb(false, { ...NS, selector: v("l"), "to-revision": v(), ...DRY }, "resources", true),
  "rollout pause": verb(false, { ...NS, selector: v("l") }, "resources"),
  "rollout resume": verb(false, { ...NS, selector: v("l") }, "resources"),
  scale: verb(false, { ...NS, selector: v("l"), replicas: v(), "current-replicas": v(), "resource-version": v(), timeout: v(), ...DRY }, "resources", true),
  cordon: verb(false, { ...DRY }, "nodes", true),
  uncordon: verb(false, { ...DRY }, "nodes", true),
  drain: verb(
    false,
    {
      "ignore-daemonsets": b(),
      "delete-emptydir-data": b(),
      force: b(),
      "grace-period": v(),
      timeout: v(),
      "disable-eviction": b(),
      "skip-wait-for-delete-timeout": v(),
      "pod-selector": v(),
      "chunk-size": v(),
      ...DRY,
    },
    "nodes",
    true,
  ),
  "create job": verb(false, { ...NS, from: v(), ...DRY }, "names", true),
  annotate: verb(false, { ...NS, overwrite: b(), ...DRY }, "resources", true),
  label: verb(false, { ...NS, overwrite: b(), ...DRY }, "resources", true),
  patch: verb(false, { ...NS, type: v(), patch: v("p"), ...DRY }, "resources", true),
  delete: verb(false, { ...NS, selector: v("l"), "grace-period": v(), force: b(), wait: b(), "ignore-not-found": b(), cascade: v(), ...DRY }, "resources", true),
  "auth can-i": verb(true, { ...NS, "all-namespaces": b("A") }, "names"),
  "api-resources": verb(true, { namespaced: b(), "api-group": v(), output: v("o"), "no-headers": b() }, "none"),
  "api-versions": verb(true, {}, "none"),
  version: verb(true, { client: b(), output: v("o") }, "none"),
  explain: verb(true, { recursive: b() }, "names"),
  // Verbs rag-k8s recognises only to refuse them with a precise reason and a safer suggestion.
  exec: verb(false, {}, "names"),
  "port-forward": verb(false, {}, "names"),
  cp: verb(false, {}, "names"),
  attach: verb(false, {}, "names"),
  proxy: verb(false, {}, "none"),
  edit: verb(false, {}, "resources"),
  apply: verb(false, {}, "none"),
  create: verb(false, {}, "names"),
  replace: verb(false, {}, "none"),
  "set image": verb(false, {}, "resources"),
  "config view": verb(true, {}, "none"),
  "config current-context": verb(true, {}, "none"),
  "config get-contexts": verb(true, {}, "none"),
  "flux get": verb(true, { ...NS, "all-namespaces": b("A"), "status-selector": v(), "no-header": b() }, "flux-kind"),
  "flux reconcile": verb(false, { ...NS, "with-source": b(), timeout: v() }, "flux-kind"),
  "flux suspend": verb(false, { ...NS }, "flux-kind"),
  "flux resume": verb(false, { ...NS, timeout: v() }, "flux-kind"),
};

/** First words that take a second word to form the verb. */
export const COMPOUND: Readonly<Record<string, readonly string[]>> = {
  rollout: ["status", "history", "restart", "undo", "pause", "resume"],
  top: ["pod", "pods", "po", "node", "nodes", "no"],
  config: ["view", "current-context", "get-contexts"],
  auth: ["can-i"],
  set: ["image"],
  create: ["job"],
};

export const FLUX_VERBS = ["get", "reconcile", "suspend", "resume"] as const;

/**
 * Flags that change identity or target. Always denied, whatever the policy says: the target comes from
 * rag-k8s configuration, never from a plan. Compared after lower-casing and turning `_` into `-`.
 */
export const IDENTITY_FLAGS: ReadonlySet<string> = new Set([
  "kubeconfig",
  "context",
  "cluster",
  "user",
  "server",
  "token",
  "as",
  "as-group",
  "as-uid",
  "certificate-authority",
  "client-key",
  "client-certificate",
  "insecure-skip-tls-verify",
  "tls-server-name",
  "username",
  "password",
  "cache-dir",
  "raw",
  "overrides",
  "kube-api-burst",
  "kube-api-qps",
  "disable-compression",
]);
/** `-s` is --server in kubectl's global flags. */
export const IDENTITY_SHORT: ReadonlySet<string> = new Set(["s"]);

/** Short flags that take a value whichever verb is in use (so `-Ashttp://x` is read as -A -s http://x). */
export const VALUE_SHORTS: ReadonlySet<string> = new Set(["n", "l", "o", "c", "s", "f", "L", "k", "e", "i"]);

const ALIASES: Readonly<Record<string, readonly string[]>> = {
  pods: ["po", "pod", "pods"],
  deployments: ["deploy", "deployment", "deployments"],
  statefulsets: ["sts", "statefulset", "statefulsets"],
  daemonsets: ["ds", "daemonset", "daemonsets"],
  replicasets: ["rs", "replicaset", "replicasets"],
  nodes: ["no", "node", "nodes"],
  namespaces: ["ns", "namespace", "namespaces"],
  configmaps: ["cm", "configmap", "configmaps"],
  secrets: ["secret", "secrets"],
  services: ["svc", "service", "services"],
  ingresses: ["ing", "ingress", "ingresses"],
  events: ["ev", "event", "events"],
  jobs: ["job", "jobs"],
  cronjobs: ["cj", "cronjob", "cronjobs"],
  persistentvolumeclaims: ["pvc", "persistentvolumeclaim", "persistentvolumeclaims"],
  persistentvolumes: ["pv", "persistentvolume", "persistentvolumes"],
  serviceaccounts: ["sa", "serviceaccount", "serviceaccounts"],
  endpoints: ["ep", "endpoints"],
  poddisruptionbudgets: ["pdb", "poddisruptionbudget", "poddisruptionbudgets"],
  horizontalpodautoscalers: ["hpa", "horizontalpodautoscaler", "horizontalpodautoscalers"],
  networkpolicies: ["netpol", "networkpolicy", "networkpolicies"],
  storageclasses: ["sc", "storageclass", "storageclasses"],
  customresourcedefinitions: ["crd", "crds", "customresourcedefinition", "customresourcedefinitions"],
  clusterroles: ["clusterrole", "clusterroles"],
  clusterrolebindings: ["clusterrolebinding", "clusterrolebindings"],
  roles: ["role", "roles"],
  rolebindings: ["rolebinding", "rolebindings"],
  kustomizations: ["ks", "kustomization", "kustomizations"],
  helmreleases: ["hr", "helmrelease", "helmreleases"],
  gitrepositories: ["gitrepo", "gitrepository", "gitrepositories"],
  all: ["all"],
};

const ALIAS_TO_RESOURCE: ReadonlyMap<string, string> = new Map(
  Object.entries(ALIASES).flatMap(([canonical, forms]) => forms.map((form) => [form, canonical] as const)),
);

/**
 * `deploy`, `deployments.apps`, `deployments.v1.apps`, `events.events.k8s.io`,
 * `kustomizations.kustomize.toolkit.fluxcd.io` → the canonical plural. Unknown types come back as written,
 * lower-cased, so the resource allow-list refuses them by name.
 */
export function normalizeResource(type: string): string {
  const lower = type.toLowerCase();
  const direct = ALIAS_TO_RESOURCE.get(lower);
  if (direct) return direct;
  const head = lower.split(".")[0] ?? lower;
  return ALIAS_TO_RESOURCE.get(head) ?? lower;
}

export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "nodes",
  "namespaces",
  "persistentvolumes",
  "storageclasses",
  "customresourcedefinitions",
  "clusterroles",
  "clusterrolebindings",
]);

/** Flux CLI kinds → the resource they act on. */
export const FLUX_KINDS: Readonly<Record<string, string>> = {
  kustomization: "kustomizations",
  kustomizations: "kustomizations",
  ks: "kustomizations",
  helmrelease: "helmreleases",
  helmreleases: "helmreleases",
  hr: "helmreleases",
  "source git": "gitrepositories",
  sources: "gitrepositories",
};
