import { normalizeResource } from "../kube/index.js";
import type { NamespaceRule, PatchRule, Policy } from "./compile.js";
import { CATEGORIES, QUANTIFIERS, isResourceType, isSecretKind, kindListed } from "./kinds.js";
import { everyNamespaceRule, resolveNamespace } from "./namespaces.js";
import { checkOutputFields, checkSortField } from "./output.js";
import type { FieldVerdict } from "./output.js";
import type { ParsedCommand } from "./parsed.js";
import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";
import { isDestructive } from "./risk.js";
import { CLUSTER_SCOPED, KNOWN_RESOURCES, REFUSED_WHOLE } from "./spec.js";

/** Thrown by a check; validateCommand turns it into a deny verdict. */
export class Denied extends Error {
  constructor(
    readonly reason: Reason,
    readonly suggestions: readonly string[] = [],
  ) {
    super(reason.message);
  }
}

const deny = (code: Reason["code"], message: string, suggestions: readonly string[] = []): never => {
  throw new Denied({ code, message }, suggestions);
};

/** Output formats that print fields (all of them for yaml/json): fine for pods, never for secrets. */
const FIELD_OUTPUTS = /^(yaml|json|(jsonpath|jsonpath-as-json|custom-columns|go-template|template)=.*)$/s;
/** Everything -o may be. `*-file` forms read a file on the machine running rag-k8s and are refused. */
const KNOWN_OUTPUTS = /^(wide|name|yaml|json|(jsonpath|jsonpath-as-json|custom-columns|go-template|template)=.+)$/s;
/**
 * Go templates can index, range over and print any field under any name (`{{range $k, $v := .data}}`), so no
 * reading of one can say which values it prints; JSONPath does the same jobs and can be checked.
 */
const GO_TEMPLATES = /^(go-template|template)=/;
/** Formats that print values without their keys: checked field by field (output.ts). */
const BARE_OUTPUTS = /^(jsonpath|jsonpath-as-json|custom-columns)=/;

function fill(template: string, parsed: ParsedCommand): string {
  return template.replaceAll("{namespace}", parsed.namespace ?? "<namespace>").replaceAll("{name}", parsed.names[0] ?? "<name>");
}

export function checkVerb(parsed: ParsedCommand, policy: Policy): void {
  for (const rule of policy.forbidden.get(parsed.verb) ?? []) {
    if (rule.resource !== undefined && !parsed.resources.includes(rule.resource)) continue;
    deny(REASON.FORBIDDEN, rule.reason, rule.suggestion ? [fill(rule.suggestion, parsed)] : []);
  }
  if (REFUSED_WHOLE.has(parsed.verb) || !policy.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED, `"${parsed.verb}" is not an allowed verb`);
}

/** Server modes: read-only, no destructive changes, denied kinds. They narrow every namespace rule. */
export function checkModes(parsed: ParsedCommand, policy: Policy): void {
  const { readOnly, disableDestructive, deniedKinds } = policy.modes;
  if (readOnly && !parsed.readOnly) deny(REASON.READ_ONLY_MODE, `the server runs read-only: "${parsed.verb}" changes the cluster and cannot be allowed or confirmed`);
  if (disableDestructive && isDestructive(parsed)) {
    deny(REASON.DESTRUCTIVE_DISABLED, `destructive changes (delete, drain, scale to 0, rollout undo) are disabled on this server`);
  }
  if (deniedKinds.size === 0) return;
  for (const resource of parsed.resources) {
    if (CATEGORIES.has(resource)) deny(REASON.KIND_DENIED, `"${resource}" expands on the server and may include a denied kind (${[...deniedKinds].join(", ")}); name the kinds`);
    if (kindListed(resource, deniedKinds)) deny(REASON.KIND_DENIED, `"${resource}" is a denied kind on this server`);
  }
}

const NO_PATHS: ReadonlySet<string> = new Set();

/** The allow-listed bare fields every kind of the command shares. */
function sharedFieldPaths(parsed: ParsedCommand, policy: Policy): ReadonlySet<string> {
  if (policy.fieldPaths.size === 0) return NO_PATHS;
  const [first, ...rest] = parsed.resources.map((r) => policy.fieldPaths.get(r) ?? NO_PATHS);
  if (first === undefined) return NO_PATHS;
  return rest.length === 0 ? first : new Set([...first].filter((path) => rest.every((set) => set.has(path))));
}

function denyFields(verdict: FieldVerdict, consequence: string): void {
  if (!verdict.ok) deny(REASON.BARE_VALUE_OUTPUT, `${verdict.why}; ${consequence}, or allow-list the field under fieldPaths in the policy`);
}

function checkOutput(parsed: ParsedCommand, policy: Policy, secret: string | undefined): void {
  const output = parsed.output;
  if (output !== null && !KNOWN_OUTPUTS.test(output)) {
    deny(REASON.OUTPUT_NOT_ALLOWED, `-o ${output} is not allowed; use wide, name, yaml, json, jsonpath=… or custom-columns=…`);
  }
  const fields = output !== null && FIELD_OUTPUTS.test(output);
  if (secret !== undefined) {
    // Only `get` as a table or names. `describe secret` shows byte counts, not values, but prints every
    // annotation but last-applied-configuration, where some tools keep credentials; it stays refused.
    if (fields) deny(REASON.SECRET_OUTPUT, `printing ${secret} as "${output}" would reveal their values; it is never allowed`);
    if (!(policy.allowSecretGet && parsed.verb === "get")) {
      deny(REASON.SECRET_READ, `"${parsed.verb}" on ${secret} is not allowed by policy (at most \`get\` as a table or names, when secrets.allowGet is set)`);
    }
  }
  if (output !== null && GO_TEMPLATES.test(output)) deny(REASON.OUTPUT_NOT_ALLOWED, "go templates can print any field under any name; use -o jsonpath=… or custom-columns=…");
  const category = parsed.resources.find((r) => CATEGORIES.has(r));
  if (fields && category !== undefined) {
    deny(REASON.OUTPUT_NOT_ALLOWED, `"${category}" expands on the server to kinds rag-k8s cannot check, so it is listed as a table only; name the kinds to print their fields`);
  }
  if (output !== null && BARE_OUTPUTS.test(output)) {
    denyFields(checkOutputFields(output, sharedFieldPaths(parsed, policy)), "bare values cannot be redacted: print whole objects with -o yaml");
  }
  const sortBy = parsed.flags.get("sort-by");
  if (typeof sortBy === "string" && !parsed.verb.startsWith("top ")) denyFields(checkSortField(sortBy, sharedFieldPaths(parsed, policy)), "the order would tell those values apart: sort by metadata or status");
}

export function checkResources(parsed: ParsedCommand, policy: Policy): void {
  const secret = parsed.resources.find((r) => isSecretKind(r, policy.secretKinds));
  checkOutput(parsed, policy, secret);
  const anyKind = parsed.readOnly && policy.anyKindReads;
  for (const resource of parsed.resources) {
    if (anyKind ? !isResourceType(resource) : !policy.resources.has(resource)) deny(REASON.RESOURCE_NOT_ALLOWED, `resource "${resource}" is not allowed`);
  }
}

/** A change must say which objects it changes: names, or a label selector where the verb takes one. */
export function checkTargets(parsed: ParsedCommand): void {
  if (parsed.readOnly) return;
  const unnamed = parsed.refs.some((r) => r.name === null);
  if (unnamed && (parsed.selector === null || parsed.binary === "flux")) {
    deny(REASON.NAME_REQUIRED, `"${parsed.verb}" must name the objects it changes${parsed.binary === "flux" ? "" : " (or select them with -l)"}`);
  }
}

const isClusterScoped = (resource: string, policy: Policy): boolean => CLUSTER_SCOPED.has(resource) || kindListed(resource, policy.clusterKinds);

export function checkScope(parsed: ParsedCommand, policy: Policy, expected: string | undefined): NamespaceRule {
  const clusterCount = parsed.resources.filter((r) => isClusterScoped(r, policy)).length;
  const mixed = clusterCount > 0 && clusterCount < parsed.resources.length;
  if (mixed) {
    // One rule must decide a command. A `get` across all namespaces can be held to every rule at once (the
    // cluster's and each namespace's); anything else mixing scopes could slip a namespaced change under the
    // cluster rule or the other way round. Secret outputs were refused before this, whatever the scope.
    if (parsed.verb !== "get" || !parsed.readOnly || !parsed.allNamespaces) {
      deny(REASON.NAMESPACE_CONFLICT, "a command may mix cluster-scoped and namespaced resources only to `get` them across all namespaces (-A)");
    }
    if (!policy.cluster.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_ON_CLUSTER, `"${parsed.verb}" is not allowed on cluster-scoped objects`);
  }
  if (parsed.resources.length === 0 || (clusterCount > 0 && !mixed)) {
    const what = parsed.resources.join(", ") || `"${parsed.verb}"`;
    if (parsed.namespace !== null) deny(REASON.NAMESPACE_ON_CLUSTER_SCOPED, `${what} takes no namespace`);
    if (parsed.allNamespaces) deny(REASON.NAMESPACE_ON_CLUSTER_SCOPED, `${what} takes no --all-namespaces`);
    if (!policy.cluster.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_ON_CLUSTER, `"${parsed.verb}" is not allowed on cluster-scoped objects`);
    return policy.cluster;
  }
  if (parsed.allNamespaces) {
    if (parsed.namespace !== null) deny(REASON.NAMESPACE_CONFLICT, "both a namespace and --all-namespaces are given");
    if (expected !== undefined) deny(REASON.NAMESPACE_MISMATCH, `the request is for namespace "${expected}", the command reads all namespaces`);
    if (!policy.allNamespacesReads) deny(REASON.ALL_NAMESPACES_NOT_ALLOWED, "--all-namespaces is not allowed by policy; name one namespace with -n");
    for (const [name, rule] of everyNamespaceRule(policy)) {
      if (!rule.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in ${name}, so not across all namespaces`);
    }
    return policy.unlisted;
  }
  const namespace = parsed.namespace;
  if (namespace === null) {
    const unknown = parsed.resources.find((r) => !KNOWN_RESOURCES.has(r));
    const hint = unknown === undefined ? "" : ` (if ${unknown} is cluster-scoped, list it under clusterScopedKinds in the policy)`;
    return deny(REASON.NAMESPACE_REQUIRED, `a namespaced command must name its namespace with -n${hint}`);
  }
  if (expected !== undefined && expected !== namespace) {
    deny(REASON.NAMESPACE_MISMATCH, `the command targets namespace "${namespace}" but the request is for "${expected}"`);
  }
  const { rule, source } = resolveNamespace(policy, namespace);
  const profile = source === "listed" ? "" : ` (${source === "prod-like" ? "a production-like" : "an unlisted"} namespace)`;
  if (!rule.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in namespace ${namespace}${profile}`);
  if (rule.denyDestructive && isDestructive(parsed)) {
    deny(REASON.DESTRUCTIVE_NOT_ALLOWED, `delete, drain, scale to 0 and rollout undo are not allowed in namespace ${namespace}${profile}`);
  }
  return rule;
}

const jsonType = (value: unknown): string => (Number.isInteger(value) ? "integer" : typeof value);

function leaves(value: unknown, prefix: string, out: [string, unknown][]): [string, unknown][] {
  // An empty object is a leaf: in a merge patch `"x": {}` creates the field, so it must match a rule like any value.
  if (value !== null && typeof value === "object" && !Array.isArray(value) && (prefix === "" || Object.keys(value).length > 0)) {
    for (const [key, inner] of Object.entries(value)) {
      // A key with a dot in it (`{"spec.suspend": true}`) is one odd field, not a path: quoted, it matches no rule.
      const part = key.includes(".") ? JSON.stringify(key) : key;
      leaves(inner, prefix ? `${prefix}.${part}` : part, out);
    }
  } else out.push([prefix, value]);
  return out;
}

function checkPatch(parsed: ParsedCommand, policy: Policy): void {
  const type = String(parsed.flags.get("type") ?? "strategic");
  const [resource] = parsed.resources;
  const rules: readonly PatchRule[] = parsed.resources.length === 1 && resource !== undefined ? (policy.patches.get(resource) ?? []) : [];
  const rule = rules.find((r) => r.type === type);
  if (!rule) return deny(REASON.PATCH_NOT_ALLOWED, `a ${type} patch of ${parsed.resources.join(",")} is not allowed`);
  const patch = parsed.flags.get("patch");
  let body: unknown;
  try {
    body = JSON.parse(String(patch));
  } catch {
    deny(REASON.PATCH_NOT_ALLOWED, "the patch (-p) must be a JSON object");
  }
  const allowed = [...rule.fields].map(([path, t]) => `${path} (${t})`).join(", ");
  const set = body !== null && typeof body === "object" && !Array.isArray(body) ? leaves(body, "", []) : [];
  const bad = set.filter(([path, value]) => rule.fields.get(path) !== jsonType(value));
  if (set.length === 0 || bad.length > 0) {
    deny(REASON.PATCH_NOT_ALLOWED, `the patch may only set ${allowed}; it sets ${set.map(([p]) => p || "(the whole object)").join(", ") || "nothing"}`);
  }
}

function checkKeys(parsed: ParsedCommand, rules: ReadonlyMap<string, ReadonlySet<string>>, what: string): void {
  const keys = parsed.args.map((arg) => {
    const eq = arg.indexOf("=");
    return eq === -1 ? arg.slice(0, -1) : arg.slice(0, eq);
  });
  if (keys.length === 0) deny(REASON.ANNOTATION_NOT_ALLOWED, `name the ${what} to set as key=value`);
  for (const resource of parsed.resources) {
    const allowed = rules.get(resource);
    const bad = keys.find((k) => !allowed?.has(k));
    if (bad !== undefined) {
      deny(REASON.ANNOTATION_NOT_ALLOWED, `${what} "${bad}" may not be set on ${resource}; allowed: ${[...(allowed ?? [])].join(", ") || "none"}`);
    }
  }
}

function checkCreateJob(parsed: ParsedCommand): void {
  const from = parsed.flags.get("from");
  const slash = typeof from === "string" ? from.indexOf("/") : -1;
  const source = typeof from === "string" ? from.slice(slash + 1) : "";
  const ok = slash > 0 && normalizeResource(String(from).slice(0, slash)) === "cronjobs" && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(source) && !QUANTIFIERS.has(source);
  if (!ok) deny(REASON.CREATE_NOT_ALLOWED, "only `kubectl create job NAME --from=cronjob/NAME -n NAMESPACE` is allowed");
}

/**
 * A drain that deletes pods instead of evicting them ignores PodDisruptionBudgets, and a zero grace period
 * kills them without shutdown: both can take a service down, which is what a drain through eviction avoids.
 */
function checkDrain(parsed: ParsedCommand): void {
  if (parsed.flags.get("disable-eviction") === true) deny(REASON.UNSAFE_DRAIN, "--disable-eviction deletes pods past their PodDisruptionBudgets; drain through eviction");
  if (parsed.flags.get("grace-period") === "0") deny(REASON.UNSAFE_DRAIN, "--grace-period=0 kills pods without a graceful shutdown; leave the pods' own grace period");
}

/** Write shapes that the verb allow-list alone cannot express. */
export function checkWrites(parsed: ParsedCommand, policy: Policy): void {
  if (parsed.verb === "drain") checkDrain(parsed);
  if (parsed.verb === "patch") checkPatch(parsed, policy);
  if (parsed.verb === "annotate") checkKeys(parsed, policy.annotations, "annotation");
  if (parsed.verb === "label") checkKeys(parsed, policy.labels, "label");
  if (parsed.verb === "create job") checkCreateJob(parsed);
  if (parsed.dryRun === "client") deny(REASON.DRY_RUN_CLIENT, "--dry-run=client is not checked by the server; use --dry-run=server");
  if (parsed.dryRun !== null && parsed.dryRun !== "server" && parsed.dryRun !== "none" && parsed.dryRun !== "client") {
    deny(REASON.INVALID_FLAG_VALUE, `--dry-run takes server, client or none, not "${parsed.dryRun}"`);
  }
}
