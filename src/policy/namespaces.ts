import type { RiskLevel } from "./risk.js";
import type { NamespaceRule, Policy } from "./compile.js";
import { VERBS } from "./spec.js";

/** Where a namespace's rule comes from. */
export type RuleSource = "listed" | "prod-like" | "unlisted" | "cluster";

export interface ResolvedRule {
  readonly rule: NamespaceRule;
  readonly source: RuleSource;
}

/** Why an unlisted name looks like production (one of the words as a dash-separated part, or the pattern), or null. */
function prodLikeMatch(policy: Policy, namespace: string): string | null {
  for (const word of policy.prodLike.words) {
    // A dash-separated part: bounded by the ends of the name or by dashes (no allocation on this hot path).
    for (let at = namespace.indexOf(word); at !== -1; at = namespace.indexOf(word, at + 1)) {
      const end = at + word.length;
      if ((at === 0 || namespace[at - 1] === "-") && (end === namespace.length || namespace[end] === "-")) return `"${word}" in its name marks it as production`;
    }
  }
  if (policy.prodLike.pattern?.test(namespace)) return `its name matches the production pattern /${policy.prodLike.pattern.source}/`;
  return null;
}

/** The rule for a namespace: its own when listed, else the strict one for production-like names, else the unlisted one. */
export function resolveNamespace(policy: Policy, namespace: string): ResolvedRule {
  const listed = policy.namespaces.get(namespace);
  if (listed) return { rule: listed, source: "listed" };
  if (prodLikeMatch(policy, namespace) !== null) return { rule: policy.prodLike.rule, source: "prod-like" };
  return { rule: policy.unlisted, source: "unlisted" };
}

function why(policy: Policy, namespace: string | null, source: RuleSource): string {
  if (namespace === null) return "cluster-scoped objects (nodes, namespaces, …) follow the cluster rule";
  if (source === "listed") return `${namespace} is named in the policy`;
  if (source === "prod-like") return `${namespace} is not named in the policy; ${prodLikeMatch(policy, namespace) ?? ""}`;
  return `${namespace} is not named in the policy, so the rule for unlisted namespaces applies`;
}

/** Every rule a namespace can get: what -A must satisfy in all of them. */
export function everyNamespaceRule(policy: Policy): [name: string, rule: NamespaceRule][] {
  return [...policy.namespaces, ["namespaces that look like production", policy.prodLike.rule], ["unlisted namespaces", policy.unlisted]];
}

export interface NamespaceExplanation {
  /** null: cluster-scoped objects. */
  readonly namespace: string | null;
  readonly source: RuleSource;
  readonly why: string;
  /** Verbs that can be allowed or confirmed here: the rule's, within the global list, none that write in read-only mode. */
  readonly verbs: readonly string[];
  /** Verbs the rule lists that never run here, and why. */
  readonly refused: readonly { readonly verb: string; readonly why: string }[];
  readonly confirmation: {
    readonly everyChange: boolean;
    readonly risks: readonly RiskLevel[];
    readonly verbs: readonly string[];
    /** Changes chosen by selector, of a whole kind or of several kinds always need confirmation. */
    readonly massChanges: true;
  };
  /** Delete, drain, scale to 0 and rollout undo: refused here, or allowed where the verb is listed. */
  readonly destructive: "refused" | "allowed where listed";
  readonly readOnlyMode: boolean;
  readonly deniedKinds: readonly string[];
  readonly secrets: "metadata only" | "never";
  readonly allNamespaceReads: boolean;
}

/** The effective rules for one namespace (or, with null, for cluster-scoped objects): what `policy show -n NS` prints. */
export function explainNamespace(policy: Policy, namespace: string | null): NamespaceExplanation {
  const resolved: ResolvedRule = namespace === null ? { rule: policy.cluster, source: "cluster" } : resolveNamespace(policy, namespace);
  const refused: { verb: string; why: string }[] = [];
  const verbs: string[] = [];
  for (const verb of resolved.rule.verbs) {
    if (!policy.verbs.has(verb)) refused.push({ verb, why: "not in the global verbs list" });
    else if (policy.modes.readOnly && !VERBS.get(verb)?.readOnly) refused.push({ verb, why: "the server runs read-only" });
    else verbs.push(verb);
  }
  const destructiveRefused = resolved.rule.denyDestructive || policy.modes.disableDestructive;
  return {
    namespace,
    source: resolved.source,
    why: why(policy, namespace, resolved.source),
    verbs,
    refused,
    confirmation: { everyChange: resolved.rule.confirmMutations, risks: [...policy.confirmRisks], verbs: [...policy.confirmVerbs], massChanges: true },
    destructive: destructiveRefused ? "refused" : "allowed where listed",
    readOnlyMode: policy.modes.readOnly,
    deniedKinds: [...policy.modes.deniedKinds],
    secrets: policy.allowSecretGet ? "metadata only" : "never",
    allNamespaceReads: policy.allNamespacesReads,
  };
}

/** The explanation as lines for a terminal. */
export function formatNamespaceExplanation(e: NamespaceExplanation): string {
  const confirm = [
    e.confirmation.everyChange ? "every change" : null,
    e.confirmation.risks.length ? `risk ${e.confirmation.risks.join("/")}` : null,
    e.confirmation.verbs.length ? `verbs ${e.confirmation.verbs.join(", ")}` : null,
    "changes by selector, of a whole kind or of several kinds",
  ].filter((x): x is string => x !== null);
  const lines = [
    `${e.namespace === null ? "cluster-scoped objects" : `namespace ${e.namespace}`}: ${e.source} (${e.why})`,
    `  verbs: ${e.verbs.join(", ") || "none"}`,
    ...e.refused.map((r) => `  never: ${r.verb} (${r.why})`),
    `  needs confirmation: ${confirm.join("; ")}`,
    `  delete, drain, scale to 0, rollout undo: ${e.destructive}`,
    `  secrets: ${e.secrets === "never" ? "never read" : "names, types and ages only; values never"}`,
  ];
  if (e.readOnlyMode) lines.push("  server mode: read-only (nothing that writes runs)");
  if (e.deniedKinds.length) lines.push(`  denied kinds: ${e.deniedKinds.join(", ")}`);
  return lines.join("\n");
}
