import type { RiskLevel } from "../cards/vocabulary.js";
import { parseCommand } from "./parse.js";
import type { ParsedCommand } from "./parse.js";
import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";
import { computeRisk } from "./risk.js";
import type { NamespaceRule, Policy } from "./schema.js";
import { CLUSTER_SCOPED, VERBS } from "./spec.js";

export type Decision = "allow" | "confirm" | "deny";

export interface Validation {
  readonly decision: Decision;
  readonly risk: RiskLevel;
  readonly readOnly: boolean;
  readonly reasons: readonly Reason[];
  readonly suggestions: readonly string[];
  /** The exact argv that may run; empty when denied. */
  readonly argv: readonly string[];
  readonly parsed?: ParsedCommand;
}

export interface ValidateOptions {
  /** The namespace the caller means: a command naming another one is denied. */
  readonly namespace?: string;
}

const SECRET_OUTPUTS = /^(yaml|json|jsonpath|jsonpath-as-json|jsonpath-file|go-template|go-template-file|template|templatefile|custom-columns|custom-columns-file)(=|$)/;

class Denied extends Error {
  constructor(readonly reason: Reason, readonly suggestions: readonly string[] = []) {
    super(reason.message);
  }
}

const deny = (code: Reason["code"], message: string, suggestions: readonly string[] = []): never => {
  throw new Denied({ code, message }, suggestions);
};

function fill(template: string, parsed: ParsedCommand): string {
  return template.replaceAll("{namespace}", parsed.namespace ?? "<namespace>").replaceAll("{name}", parsed.names[0] ?? "<name>");
}

function checkForbidden(parsed: ParsedCommand, policy: Policy): void {
  for (const rule of policy.forbidden) {
    if (rule.verb !== parsed.verb) continue;
    if (rule.resource !== undefined && !parsed.resources.includes(rule.resource)) continue;
    deny(REASON.FORBIDDEN, rule.reason, rule.suggestion ? [fill(rule.suggestion, parsed)] : []);
  }
  if (!policy.verbs.includes(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED, `"${parsed.verb}" is not an allowed verb`);
}

function checkResources(parsed: ParsedCommand, policy: Policy): void {
  for (const resource of parsed.resources) {
    if (!policy.resources.includes(resource)) deny(REASON.RESOURCE_NOT_ALLOWED, `resource "${resource}" is not allowed`);
  }
  if (!parsed.resources.includes("secrets")) return;
  if (parsed.output !== null && SECRET_OUTPUTS.test(parsed.output)) {
    deny(REASON.SECRET_OUTPUT, `printing secrets as "${parsed.output}" would reveal their values; it is never allowed`);
  }
  if (parsed.verb === "describe" || !(policy.secrets.allowGet && parsed.verb === "get" && parsed.output === null)) {
    deny(REASON.SECRET_READ, "reading secrets is not allowed by policy");
  }
}

function checkScope(parsed: ParsedCommand, policy: Policy, expected: string | undefined): NamespaceRule {
  const clusterScoped = parsed.resources.length > 0 && parsed.resources.every((r) => CLUSTER_SCOPED.has(r));
  if (parsed.resources.some((r) => CLUSTER_SCOPED.has(r)) && !clusterScoped) {
    deny(REASON.NAMESPACE_CONFLICT, "a command may not mix cluster-scoped and namespaced resources");
  }
  const nonResourceVerb = parsed.resources.length === 0 && parsed.verb !== "events";
  if (clusterScoped || nonResourceVerb) {
    if (parsed.namespace !== null) deny(REASON.NAMESPACE_ON_CLUSTER_SCOPED, `${parsed.resources.join(", ") || parsed.verb} takes no namespace`);
    if (parsed.allNamespaces) deny(REASON.NAMESPACE_ON_CLUSTER_SCOPED, `${parsed.resources.join(", ") || parsed.verb} takes no --all-namespaces`);
    if (!policy.cluster.verbs.includes(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_ON_CLUSTER, `"${parsed.verb}" is not allowed on cluster-scoped objects`);
    return policy.cluster;
  }
  if (parsed.allNamespaces) {
    if (parsed.namespace !== null) deny(REASON.NAMESPACE_CONFLICT, "both a namespace and --all-namespaces are given");
    if (!parsed.readOnly) deny(REASON.ALL_NAMESPACES_MUTATION, `--all-namespaces is never allowed on a mutating verb ("${parsed.verb}")`);
    if (!policy.allNamespacesReads) deny(REASON.NAMESPACE_REQUIRED, "--all-namespaces is not allowed by policy; name one namespace with -n");
    for (const [name, rule] of Object.entries(policy.namespaces)) {
      if (!rule.verbs.includes(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in ${name}, so not across all namespaces`);
    }
    return policy.namespaces["default"] as NamespaceRule;
  }
  if (parsed.namespace === null) deny(REASON.NAMESPACE_REQUIRED, "a namespaced command must name its namespace with -n");
  const namespace = parsed.namespace as string;
  if (expected !== undefined && expected !== namespace) {
    deny(REASON.NAMESPACE_MISMATCH, `the command targets namespace "${namespace}" but the request is for "${expected}"`);
  }
  const rule = policy.namespaces[namespace] ?? (policy.namespaces["default"] as NamespaceRule);
  if (!rule.verbs.includes(parsed.verb)) {
    deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in namespace ${namespace}`);
  }
  return rule;
}

function leafPaths(value: unknown, prefix = ""): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => leafPaths(inner, prefix ? `${prefix}.${key}` : key));
}

function checkWrites(parsed: ParsedCommand, policy: Policy): void {
  if (parsed.verb === "patch") {
    const type = String(parsed.flags.get("type") ?? "strategic");
    const patch = parsed.flags.get("patch");
    const rule = policy.patches.find((p) => parsed.resources.length === 1 && p.resource === parsed.resources[0] && p.type === type);
    if (!rule || typeof patch !== "string") deny(REASON.PATCH_NOT_ALLOWED, `patching ${parsed.resources.join(",")} with a ${type} patch is not allowed`);
    let body: unknown;
    try {
      body = JSON.parse(patch as string);
    } catch {
      deny(REASON.PATCH_NOT_ALLOWED, "the patch is not valid JSON");
    }
    const paths = leafPaths(body);
    const bad = paths.filter((p) => !rule?.paths.includes(p));
    if (bad.length || paths.length === 0) deny(REASON.PATCH_NOT_ALLOWED, `the patch may only set ${rule?.paths.join(", ")}; it sets ${paths.join(", ")}`);
  }
  if (parsed.verb === "annotate" || parsed.verb === "label") {
    const allowed = policy.annotations.filter((a) => parsed.resources.includes(a.resource)).flatMap((a) => a.keys);
    const keys = parsed.args.map((arg) => arg.split("=")[0]?.replace(/-$/, "") ?? "");
    if (parsed.verb === "label" || keys.length === 0 || keys.some((k) => !allowed.includes(k))) {
      deny(REASON.ANNOTATION_NOT_ALLOWED, `only these annotations may be set: ${allowed.join(", ") || "none"}`);
    }
  }
  if (parsed.verb === "create job") {
    const from = parsed.flags.get("from");
    if (typeof from !== "string" || !/^cronjob\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(from)) {
      deny(REASON.CREATE_NOT_ALLOWED, "only `create job NAME --from=cronjob/NAME` is allowed");
    }
  }
  if (parsed.dryRun !== null && parsed.dryRun !== "server" && parsed.dryRun !== "none") {
    deny(REASON.DRY_RUN_CLIENT, `--dry-run=${parsed.dryRun} is not checked by the server; use --dry-run=server`);
  }
}

/** Parses the command and decides allow / confirm / deny from what it says, never from what anyone claims. */
export function validateCommand(command: string, policy: Policy, options: ValidateOptions = {}): Validation {
  const result = parseCommand(command, policy.binaries);
  if (!result.ok) return { decision: "deny", risk: "none", readOnly: false, reasons: result.reasons, suggestions: [], argv: [] };
  const parsed = result.parsed;
  const risk = computeRisk(parsed);
  try {
    checkForbidden(parsed, policy);
    checkResources(parsed, policy);
    const rule = checkScope(parsed, policy, options.namespace);
    checkWrites(parsed, policy);
    const reasons: Reason[] = [];
    if (policy.confirm.risks.includes(risk)) reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: `risk is ${risk}` });
    else if (rule.confirmMutations && !parsed.readOnly) {
      reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: `changes in ${parsed.namespace ?? "the cluster"} need confirmation` });
    }
    return { decision: reasons.length ? "confirm" : "allow", risk, readOnly: parsed.readOnly, reasons, suggestions: [], argv: parsed.argv, parsed };
  } catch (error) {
    if (!(error instanceof Denied)) throw error;
    return { decision: "deny", risk, readOnly: parsed.readOnly, reasons: [error.reason], suggestions: error.suggestions, argv: [], parsed };
  }
}

/** The argv with `--dry-run=server` when kubectl can dry-run this verb on the server, else null. */
export function serverDryRunArgv(parsed: ParsedCommand): string[] | null {
  if (parsed.readOnly || !VERBS[parsed.verb]?.serverDryRun) return null;
  if (parsed.dryRun === "server") return [...parsed.argv];
  if (parsed.dryRun !== null) return null;
  const end = parsed.argv.indexOf("--");
  const at = end === -1 ? parsed.argv.length : end;
  return [...parsed.argv.slice(0, at), "--dry-run=server", ...parsed.argv.slice(at)];
}
