import { AMBIGUOUS_SHORT_NAMES, KINDS, VERB_SYNONYMS, kindForms, kindOfInKubectlContext } from "../../kube/index.js";

/**
 * kubectl-aware vocabulary for the lexical scorer: short names, API-group forms, slang and symptoms mapped onto
 * one canonical term, so that a query and a card that say the same thing in different words share a term.
 * Keys are surface words or space-separated phrases; values are the canonical terms they stand for.
 * Card text goes through the same tables, so the canonical spelling itself never has to appear in a card.
 * Kinds and action verbs come from the shared Kubernetes vocabulary (src/kube); the rest is retrieval's own.
 */

/** Kinds: kubectl short names, plurals and group-qualified forms ("no" is contextual, see VERB_CONTEXT_ALIASES). */
const KIND_GROUPS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  [...KINDS.values()].map((info) => [info.kind, kindForms(info).filter((form) => !AMBIGUOUS_SHORT_NAMES.has(form))]),
);

const GROUPS: Readonly<Record<string, readonly string[]>> = {
  ...KIND_GROUPS,
  container: ["container", "containers", "ctr"],
  ...VERB_SYNONYMS,
  history: ["history", "revisions", "past versions", "previous versions", "changelog"],
  status: ["status", "progress", "rolled out", "finished rolling", "finish rolling", "done", "complete", "completed", "finished", "rolling out", "finish rolling out", "sync status", "healthy", "health", "ready", "readiness"],
  replica: ["replica", "replicas", "instances", "copies"],
  log: ["log", "logs", "stdout", "stderr"],
  follow: ["follow", "stream", "streaming", "live", "tail"],
  previous: ["previous", "prev", "last crash", "before it crashed", "before the crash", "prior"],
  crashloop: [
    "crashloop",
    "crashloopbackoff",
    "crash loop",
    "crash-loop",
    "back-off",
    "crash looping",
    "crashlooping",
    "crashing",
    "crashes",
    "crashed",
    "crash",
    "keeps crashing",
    "keep crashing",
    "keeps restarting",
    "keep restarting",
    "restart loop",
    "backoff",
  ],
  imagepull: ["imagepull", "image-pull", "imagepullbackoff", "errimagepull", "image pull", "pull image", "pulling image", "pull error", "invalidimagename"],
  oom: ["oom", "oomkilled", "out of memory", "oom killed"],
  pending: ["pending", "stuck pending", "not scheduled", "wont schedule", "cant schedule", "failedscheduling"],
  usage: ["usage", "consumption", "utilization", "utilisation", "resource usage", "top", "metrics"],
  cpu: ["cpu", "cpus", "cores", "millicores"],
  memory: ["memory", "mem", "ram"],
  diagnose: [
    "diagnose",
    "debug",
    "troubleshoot",
    "investigate",
    "broken",
    "failing",
    "unhealthy",
    "whats wrong",
    "what is wrong",
    "not working",
    "doesnt work",
    "problem",
    "problems",
    "issue",
    "issues",
    "root cause",
    "why",
    "find out why",
    "figure out why",
  ],
  // `kubectl get X` lists X, and the "get" cards (flux get ks) are lists too.
  list: ["list", "get", "ls", "enumerate", "show all"],
  view: ["view", "cat", "contents", "content", "read"],
  delete: ["delete", "remove", "rm", "kill", "destroy"],
  stuck: [
    "stuck",
    "hanging",
    "hangs",
    "hung",
    "progress deadline",
    "progressdeadlineexceeded",
    "not finishing",
    "never finishes",
    "wont finish",
    "doesnt finish",
  ],
  recent: ["recent", "recently", "latest", "newest", "lately"],
  warning: ["warning", "warnings", "warn", "errors", "error"],
};

/** Words that stand for more than one canonical term. */
const COMPOUNDS: Readonly<Record<string, readonly string[]>> = {
  // "Deploy again": in Kubernetes parlance a rolling restart of a deployment.
  redeploy: ["restart", "deployment"],
};

/** Surface word or phrase → canonical terms. */
export const SYNONYMS: ReadonlyMap<string, readonly string[]> = new Map([
  ...Object.entries(GROUPS).flatMap(([canonical, forms]) => forms.map((form) => [form, [canonical]] as const)),
  ...Object.entries(COMPOUNDS),
]);

/**
 * Short names that are also ordinary English words: they stand for a kind only right after a kubectl verb
 * ("kubectl get no", "describe no worker-1"), so "no pods are running" keeps meaning "no".
 */
export const VERB_CONTEXT_ALIASES: ReadonlyMap<string, string> = new Map(
  [...AMBIGUOUS_SHORT_NAMES].map((short) => [short, kindOfInKubectlContext(short) ?? short] as const),
);
export const KUBECTL_VERBS: ReadonlySet<string> = new Set([
  "get",
  "describe",
  "top",
  "cordon",
  "uncordon",
  "drain",
  "delete",
  "edit",
  "label",
  "annotate",
]);

/** The word after one of these is what the user does NOT want ("cordon without draining"), so it is dropped. */
export const NEGATIONS: ReadonlySet<string> = new Set(["without"]);

/** Words that carry no retrieval signal in operator requests. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a an the and or but of to in on at for from by with into onto about as is are was were be been being am " +
    "it its this that these those there here my our your their me us i we you he she they them " +
    "do does did done can could would should will shall may might must please pls plz kindly " +
    "k8s kube kubernetes cluster " +
    "what whats how when where which who whom want need needs like just also then than so very really " +
    "show display give tell see let lets me some any one up out over again now currently right " +
    "named called using via if not no yes"
  ).split(/\s+/),
);
