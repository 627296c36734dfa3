import { API_RESOURCES, apiResource, resourceForms } from "../kube/index.js";
import { CATEGORIES } from "./kinds.js";

/**
 * What rag-k8s knows of kubectl's and flux's command lines: verbs, each verb's allowed flags and their
 * arity, and how resource names are read (the resources themselves are src/kube's table). Anything not listed
 * here is refused (an allow-list, not a deny-list).
 */

/**
 * `bool`: never takes the next token, may be written `--f=true|false` (pflag NoOptDefVal "true").
 * `value`: takes `=v`, the rest of a short group, or the next token.
 * `inline`: pflag flags with a NoOptDefVal other than "true" (`--dry-run`, `--cascade`): a bare flag does
 * NOT take the next token in kubectl, so only the `--f=v` form is accepted to keep both readings equal.
 */
export type Arity = "bool" | "value" | "inline";
export interface FlagSpec {
  readonly arity: Arity;
  /** Single-letter alias for this verb (pflag allows e.g. `-p` to mean --previous for logs, --patch for patch). */
  readonly short?: string;
}

/** How positionals are read: resource specs (TYPE NAME / TYPE/NAME), node names, a pod, names, a flux kind, or none. */
export type Positionals = "resources" | "nodes" | "pod" | "names" | "flux-kind" | "none";

export interface VerbSpec {
  readonly readOnly: boolean;
  readonly flags: ReadonlyMap<string, FlagSpec>;
  /** Short letter → long flag name, precomputed so a short group is read in one pass. */
  readonly shorts: ReadonlyMap<string, string>;
  readonly positionals: Positionals;
  /** Whether kubectl 1.31 accepts --dry-run=server on this verb (checked against `kubectl.1.31 VERB --help`). */
  readonly serverDryRun: boolean;
}

const v = (short?: string): FlagSpec => (short ? { arity: "value", short } : { arity: "value" });
const b = (short?: string): FlagSpec => (short ? { arity: "bool", short } : { arity: "bool" });
const inline = (): FlagSpec => ({ arity: "inline" });

const NS = { namespace: v("n") };
const ALL_NS = { "all-namespaces": b("A") };
const SELECT = { selector: v("l"), "field-selector": v() };
const OUTPUT = { output: v("o"), "no-headers": b(), "show-labels": b(), "sort-by": v(), "label-columns": v("L"), "show-kind": b() };
const DRY = { "dry-run": inline() };
/** Global flags each binary accepts on every verb. */
const KUBECTL_COMMON = { "request-timeout": v() };
const FLUX_COMMON = { timeout: v() };

function verb(readOnly: boolean, flags: Record<string, FlagSpec>, positionals: Positionals, serverDryRun = false): VerbSpec {
  const common = positionals === "flux-kind" ? FLUX_COMMON : KUBECTL_COMMON;
  const all = new Map(Object.entries({ ...common, ...flags }));
  const shorts = new Map([...all].flatMap(([name, f]) => (f.short ? [[f.short, name] as const] : [])));
  return { readOnly, flags: all, shorts, positionals, serverDryRun };
}

/** Verb ids: kubectl verbs as written ("rollout restart"), flux verbs prefixed with "flux ". */
export const VERBS: ReadonlyMap<string, VerbSpec> = new Map(
  Object.entries({
    get: verb(true, { ...NS, ...ALL_NS, ...SELECT, ...OUTPUT, "ignore-not-found": b(), "chunk-size": v() }, "resources"),
    describe: verb(true, { ...NS, ...ALL_NS, ...SELECT, "show-events": b(), "chunk-size": v() }, "resources"),
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
    "top pod": verb(true, { ...NS, ...ALL_NS, selector: v("l"), "field-selector": v(), "sort-by": v(), containers: b(), "no-headers": b(), sum: b() }, "names"),
    "top node": verb(true, { selector: v("l"), "sort-by": v(), "no-headers": b(), "show-capacity": b() }, "names"),
    events: verb(true, { ...NS, ...ALL_NS, for: v(), types: v(), output: v("o"), "no-headers": b(), "chunk-size": v() }, "none"),
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
    delete: verb(
      false,
      { ...NS, selector: v("l"), "grace-period": v(), force: b(), wait: b(), "ignore-not-found": b(), cascade: inline(), ...DRY },
      "resources",
      true,
    ),
    "auth can-i": verb(true, { ...NS, ...ALL_NS }, "names"),
    "api-resources": verb(true, { namespaced: b(), "api-group": v(), output: v("o"), "no-headers": b() }, "none"),
    "api-versions": verb(true, {}, "none"),
    version: verb(true, { client: b(), output: v("o") }, "none"),
    explain: verb(true, { recursive: b(), "api-version": v() }, "names"),
    // Verbs rag-k8s recognises only to refuse them with a precise reason and a safer suggestion.
    exec: verb(false, {}, "names"),
    "port-forward": verb(false, {}, "names"),
    cp: verb(false, {}, "names"),
    attach: verb(false, {}, "names"),
    proxy: verb(false, {}, "none"),
    edit: verb(false, {}, "names"),
    apply: verb(false, {}, "none"),
    create: verb(false, {}, "names"),
    replace: verb(false, {}, "none"),
    "set image": verb(false, {}, "names"),
    "config view": verb(true, {}, "none"),
    "config current-context": verb(true, {}, "none"),
    "config get-contexts": verb(true, {}, "none"),
    debug: verb(false, {}, "names"),
    run: verb(false, {}, "names"),
    "flux get": verb(true, { ...NS, ...ALL_NS, "status-selector": v(), "no-header": b() }, "flux-kind"),
    "flux reconcile": verb(false, { ...NS, "with-source": b() }, "flux-kind"),
    "flux suspend": verb(false, { ...NS }, "flux-kind"),
    "flux resume": verb(false, { ...NS }, "flux-kind"),
  }),
);

/** Verbs refused before their arguments are read: their argument grammar is not modelled, only their name. */
export const REFUSED_WHOLE: ReadonlySet<string> = new Set([
  "exec",
  "port-forward",
  "cp",
  "attach",
  "proxy",
  "edit",
  "apply",
  "create",
  "replace",
  "set image",
  "config view",
  "config current-context",
  "config get-contexts",
  "debug",
  "run",
]);

/**
 * Integer flags. pflag parses them with base 0 (`0x0`, `00` and `-0` all mean 0), so they are held to plain
 * decimal here: risk rules such as "scale to 0 is high" must not be dodged by spelling.
 */
export const INT_FLAGS: ReadonlySet<string> = new Set([
  "replicas",
  "current-replicas",
  "grace-period",
  "to-revision",
  "revision",
  "tail",
  "limit-bytes",
  "max-log-requests",
  "chunk-size",
]);
/** Plain decimal, optionally -1 (kubectl's "unset" for --tail and --grace-period); at most 9 digits. */
export const PLAIN_INT = /^(-1|0|[1-9][0-9]{0,8})$/;

/** First words that take a second word to form the verb. */
export const COMPOUND: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map([
  ["rollout", new Map(["status", "history", "restart", "undo", "pause", "resume"].map((w) => [w, w]))],
  ["top", new Map((["pods", "nodes"] as const).flatMap((plural) => resourceForms(apiResource(plural)).map((form) => [form, apiResource(plural).singular] as const)))],
  ["config", new Map(["view", "current-context", "get-contexts"].map((w) => [w, w]))],
  ["auth", new Map([["can-i", "can-i"]])],
  ["set", new Map([["image", "image"]])],
  ["create", new Map([["job", "job"]])],
]);

/**
 * Flags that change identity, target or how kubectl talks to the server. Always denied, whatever the policy
 * says: the target comes from rag-k8s configuration, never from a plan. Compared after lower-casing and
 * turning `_` into `-`, so `--Insecure_Skip_TLS_Verify` is caught too.
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

/**
 * Global flags that may stand before the verb (`kubectl -n prod get pods`); nothing else may. The verb's own
 * table is applied to them afterwards, so `flux --request-timeout=1s get ks` is still refused.
 */
export const PRE_VERB_FLAGS: ReadonlyMap<string, string> = new Map([
  ["-n", "namespace"],
  ["--namespace", "namespace"],
  ["--request-timeout", "request-timeout"],
]);

/**
 * Every canonical resource name rag-k8s can recognise (policy files are linted against it). Types are read with
 * src/kube's normalizeResource; what it leaves unknown (custom resources, known names in another group) writes
 * refuse by name (the resource allow-list), reads check for spelling (isResourceType) and credentials (kinds.ts).
 */
export const KNOWN_RESOURCES: ReadonlySet<string> = new Set([...API_RESOURCES.keys(), ...CATEGORIES]);

/** Built-in resources whose objects live outside namespaces. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([...API_RESOURCES.values()].filter((info) => !info.namespaced).map((info) => info.plural));

/** Flux CLI kinds → the resource they act on. Source kinds are two words (`source git`). */
export const FLUX_KINDS: ReadonlyMap<string, string> = new Map([
  ...["kustomizations", "helmreleases"].flatMap((plural) => resourceForms(apiResource(plural)).map((form) => [form, plural] as const)),
  ["source git", "gitrepositories"],
  ["source helm", "helmrepositories"],
  ["source oci", "ocirepositories"],
]);
/** Flux words that need a second word to name a kind (`flux get sources git`). */
export const FLUX_KIND_PREFIXES: ReadonlySet<string> = new Set(["source", "sources"]);
