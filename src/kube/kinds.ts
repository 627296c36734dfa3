import { apiResource } from "./resources.js";

/**
 * Kubernetes kinds as operators write them: the canonical (lowercase singular) kind, its plural, kubectl short
 * names, API group forms and everyday slang, for the goal parser, retrieval's lexical terms and cards. Plural,
 * short names, group and scope come from the API resource table (resources.ts).
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

/** Everyday written forms beyond kubectl's own (group-qualified names, spaced spellings, slang), per resource. */
const EVERYDAY_FORMS: readonly (readonly [plural: string, aliases: readonly string[]])[] = [
  ["deployments", ["deploys", "deploy.apps", "deployment.apps", "deployments.apps"]],
  ["pods", ["pod.v1"]],
  ["statefulsets", ["stateful set", "stateful sets", "statefulset.apps", "statefulsets.apps"]],
  ["daemonsets", ["daemon set", "daemon sets", "daemonset.apps", "daemonsets.apps"]],
  ["namespaces", []],
  ["configmaps", ["config map", "config maps"]],
  ["nodes", ["worker node", "worker nodes"]],
  ["jobs", ["job.batch", "jobs.batch"]],
  ["cronjobs", ["cron job", "cron jobs", "cronjob.batch"]],
  ["events", []],
  ["kustomizations", ["kustomization.kustomize.toolkit.fluxcd.io", "kustomizations.kustomize.toolkit.fluxcd.io"]],
  ["helmreleases", ["helm release", "helm releases"]],
  ["services", []],
  ["replicasets", ["replica set", "replicasets.apps"]],
  ["secrets", []],
];

const KIND_TABLE: readonly KindInfo[] = EVERYDAY_FORMS.map(([plural, aliases]) => {
  const resource = apiResource(plural);
  return { kind: resource.singular, plural, short: resource.short, group: resource.groups[0] ?? "", aliases, namespaced: resource.namespaced };
});

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
