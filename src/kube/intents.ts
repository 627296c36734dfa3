/**
 * What an operator can ask rag-k8s to do (the intents cards declare) and the words people use for each.
 * The lexical scorer folds these words onto one term per intent; the goal parser's normaliser rewrites
 * single-word verbs onto the canonical intent verb before parsing.
 */
export const INTENTS = [
  "restart",
  "status",
  "history",
  "undo",
  "scale",
  "describe",
  "logs",
  "diagnose",
  "events",
  "top",
  "cordon",
  "uncordon",
  "drain",
  "list",
  "view",
  "rerun",
  "get",
  "reconcile",
  "suspend",
  "resume",
] as const;
export type Intent = (typeof INTENTS)[number];

/** Intents that change the cluster; a goal asking for two of them is two operations, not one. */
export const MUTATING_INTENTS: readonly Intent[] = ["restart", "scale", "undo", "cordon", "uncordon", "drain", "rerun", "reconcile", "suspend", "resume"];

/**
 * Single words (and a few phrases) that mean exactly one action verb. The normaliser rewrites the single words
 * onto the verb; the phrases are matched by the lexical scorer. Ambiguous words ("stop": suspend or scale to
 * zero?) are deliberately absent from the single-word rewrites.
 */
export const VERB_SYNONYMS: Readonly<Record<string, readonly string[]>> = {
  restart: ["restart", "restarts", "bounce", "recycle", "kick", "reboot", "rolling restart", "respawn", "cycle", "roll"],
  undo: ["undo", "rollback", "roll back", "rolled back", "revert", "go back", "downgrade"],
  scale: ["scale", "resize", "bump", "scale up", "scale down", "scale out", "scale in", "scale to zero"],
  describe: ["describe", "desc", "details", "detail", "inspect", "more info", "everything about", "full info"],
  cordon: ["cordon", "cordoned", "mark unschedulable", "unschedulable", "stop scheduling", "disable scheduling"],
  uncordon: [
    "uncordon",
    "uncordoned",
    "mark schedulable",
    "schedulable",
    "allow scheduling",
    "enable scheduling",
    "resume scheduling",
    "back into service",
    "back in service",
  ],
  drain: ["drain", "drained", "evacuate", "evict", "eviction", "evictions", "empty the node"],
  rerun: ["rerun", "re-run", "run again", "retrigger", "re-trigger", "retry", "trigger again", "run it again", "kick off again"],
  reconcile: ["reconcile", "reconciliation", "sync", "resync", "re-sync", "force sync", "synchronize", "synchronise"],
  suspend: ["suspend", "suspended", "stop", "pause", "paused", "freeze", "halt", "stop reconciling", "stop syncing"],
  resume: ["resume", "resumed", "unpause", "unfreeze", "unsuspend", "continue reconciling", "start reconciling"],
};

/** Single-word verbs the normaliser rewrites before parsing ("bounce" → "restart"), chosen to be unambiguous. */
export const VERB_REWRITES: ReadonlyMap<string, string> = new Map([
  ["bounce", "restart"],
  ["recycle", "restart"],
  ["kick", "restart"],
  ["reboot", "restart"],
  ["respawn", "restart"],
  ["roll", "restart"],
  ["desc", "describe"],
  ["inspect", "describe"],
  ["rollback", "undo"],
  ["revert", "undo"],
  ["resize", "scale"],
  ["evacuate", "drain"],
  ["retrigger", "rerun"],
  ["re-run", "rerun"],
  ["resync", "reconcile"],
  ["unpause", "resume"],
  ["unsuspend", "resume"],
  ["unfreeze", "resume"],
]);

/** The verbs the edit-distance-1 correction may land on: the canonical intent verbs and the kubectl verbs. */
export const CORRECTABLE_VERBS: readonly string[] = [
  "restart",
  "status",
  "history",
  "rollout",
  "scale",
  "describe",
  "logs",
  "events",
  "cordon",
  "uncordon",
  "drain",
  "rerun",
  "reconcile",
  "suspend",
  "resume",
  "rollback",
];
