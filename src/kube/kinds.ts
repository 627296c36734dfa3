/**
 * Kubernetes kinds as operators write them: the canonical (lowercase singular) kind, its plural, kubectl short
 * names, API group forms and everyday slang. One table for the goal parser, retrieval's lexical terms and cards.
 */
export interface KindInfo {
  /** Lowercase singular, as cards and requests name it. */
  readonly kind: string;
  readonly plural: string;
  /** kubectl short names ("deploy", "po"). */
  readonly short: readonly string[];
  /** API group ("" for the core group). */
  readonly group: string;
  /** Other written forms: group-qualified names, spaced spellings, slang. */
  readonly aliases: readonly string[];
  /** Whether objects of this kind live in a namespace. */
  readonly namespaced: boolean;
}

const KIND_TABLE: readonly KindInfo[] = [
  {
    kind: "deployment",
    plural: "deployments",
    short: ["deploy"],
    group: "apps",
    aliases: ["deploys", "deploy.apps", "deployment.apps", "deployments.apps"],
    namespaced: true,
  },
  { kind: "pod", plural: "pods", short: ["po"], group: "", aliases: ["pod.v1"], namespaced: true },
  {
    kind: "statefulset",
    plural: "statefulsets",
    short: ["sts"],
    group: "apps",
    aliases: ["stateful set", "stateful sets", "statefulset.apps", "statefulsets.apps"],
    namespaced: true,
  },
  {
    kind: "daemonset",
    plural: "daemonsets",
    short: ["ds"],
    group: "apps",
    aliases: ["daemon set", "daemon sets", "daemonset.apps", "daemonsets.apps"],
    namespaced: true,
  },
  { kind: "namespace", plural: "namespaces", short: ["ns"], group: "", aliases: [], namespaced: false },
  { kind: "configmap", plural: "configmaps", short: ["cm"], group: "", aliases: ["config map", "config maps"], namespaced: true },
  { kind: "node", plural: "nodes", short: ["no"], group: "", aliases: ["worker node", "worker nodes"], namespaced: false },
  { kind: "job", plural: "jobs", short: [], group: "batch", aliases: ["job.batch", "jobs.batch"], namespaced: true },
  { kind: "cronjob", plural: "cronjobs", short: ["cj"], group: "batch", aliases: ["cron job", "cron jobs", "cronjob.batch"], namespaced: true },
  { kind: "event", plural: "events", short: ["ev"], group: "", aliases: [], namespaced: true },
  {
    kind: "kustomization",
    plural: "kustomizations",
    short: ["ks"],
    group: "kustomize.toolkit.fluxcd.io",
    aliases: ["kustomization.kustomize.toolkit.fluxcd.io", "kustomizations.kustomize.toolkit.fluxcd.io"],
    namespaced: true,
  },
  { kind: "helmrelease", plural: "helmreleases", short: ["hr"], group: "helm.toolkit.fluxcd.io", aliases: ["helm release", "helm releases"], namespaced: true },
  { kind: "service", plural: "services", short: ["svc"], group: "", aliases: [], namespaced: true },
  { kind: "replicaset", plural: "replicasets", short: ["rs"], group: "apps", aliases: ["replica set", "replicasets.apps"], namespaced: true },
  { kind: "secret", plural: "secrets", short: [], group: "", aliases: [], namespaced: true },
];

export const KINDS: ReadonlyMap<string, KindInfo> = new Map(KIND_TABLE.map((info) => [info.kind, info]));

/** Every written form of a kind, canonical first. */
export function kindForms(info: KindInfo): readonly string[] {
  return [info.kind, info.plural, ...info.short, ...info.aliases];
}

/**
 * Short names that are also ordinary English words ("no"): they name a kind only in kubectl-shaped text
 * ("kubectl get no", "describe no worker-1", "no/worker-1").
 */
export const AMBIGUOUS_SHORT_NAMES: ReadonlySet<string> = new Set(["no"]);

const BY_FORM: ReadonlyMap<string, string> = new Map(
  KIND_TABLE.flatMap((info) => kindForms(info).filter((form) => !AMBIGUOUS_SHORT_NAMES.has(form)).map((form) => [form, info.kind] as const)),
);

/** The canonical kind a single written word stands for ("sts" → "statefulset"), or undefined. */
export function kindOf(word: string): string | undefined {
  return BY_FORM.get(word.toLowerCase());
}

/** The canonical kind of a word, also accepting the ambiguous short names (for `kind/name` and after a verb). */
export function kindOfInKubectlContext(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (AMBIGUOUS_SHORT_NAMES.has(lower)) return KIND_TABLE.find((info) => info.short.includes(lower))?.kind;
  return kindOf(lower);
}
