import type { NamespaceRule, PatchRule, Policy } from "./compile.js";
import type { ParsedCommand } from "./parsed.js";
import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";
import { CLUSTER_SCOPED, REFUSED_WHOLE, normalizeResource } from "./spec.js";

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
const ALLOWED_OUTPUTS = /^(wide|name|yaml|json|(jsonpath|jsonpath-as-json|custom-columns|go-template|template)=.+)$/s;

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

export function checkResources(parsed: ParsedCommand, policy: Policy): void {
  const output = parsed.output;
  if (output !== null && !ALLOWED_OUTPUTS.test(output)) {
    deny(REASON.OUTPUT_NOT_ALLOWED, `-o ${output} is not allowed; use wide, name, yaml, json, jsonpath=…, custom-columns=… or go-template=…`);
  }
  if (parsed.resources.includes("secrets")) {
    if (output !== null && FIELD_OUTPUTS.test(output)) {
      deny(REASON.SECRET_OUTPUT, `printing secrets as "${output}" would reveal their values; it is never allowed`);
    }
    if (!(policy.allowSecretGet && parsed.verb === "get")) {
      deny(REASON.SECRET_READ, `"${parsed.verb}" on secrets is not allowed by policy (at most \`get\` without field output, when secrets.allowGet is set)`);
    }
  }
  for (const resource of parsed.resources) {
    if (!policy.resources.has(resource)) deny(REASON.RESOURCE_NOT_ALLOWED, `resource "${resource}" is not allowed`);
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

export function checkScope(parsed: ParsedCommand, policy: Policy, expected: string | undefined): NamespaceRule {
  const clusterCount = parsed.resources.filter((r) => CLUSTER_SCOPED.has(r)).length;
  if (clusterCount > 0 && clusterCount < parsed.resources.length) {
    deny(REASON.NAMESPACE_CONFLICT, "a command may not mix cluster-scoped and namespaced resources");
  }
  if (parsed.resources.length === 0 || clusterCount > 0) {
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
    for (const [name, rule] of policy.namespaces) {
      if (!rule.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in ${name}, so not across all namespaces`);
    }
    return policy.defaultRule;
  }
  const namespace = parsed.namespace;
  if (namespace === null) return deny(REASON.NAMESPACE_REQUIRED, "a namespaced command must name its namespace with -n");
  if (expected !== undefined && expected !== namespace) {
    deny(REASON.NAMESPACE_MISMATCH, `the command targets namespace "${namespace}" but the request is for "${expected}"`);
  }
  const rule = policy.namespaces.get(namespace) ?? policy.defaultRule;
  if (!rule.verbs.has(parsed.verb)) deny(REASON.VERB_NOT_ALLOWED_IN_NAMESPACE, `"${parsed.verb}" is not allowed in namespace ${namespace}`);
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
  const ok = typeof from === "string" && slash > 0 && normalizeResource(from.slice(0, slash)) === "cronjobs" && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(from.slice(slash + 1));
  if (!ok) deny(REASON.CREATE_NOT_ALLOWED, "only `kubectl create job NAME --from=cronjob/NAME -n NAMESPACE` is allowed");
}

/** Write shapes that the verb allow-list alone cannot express. */
export function checkWrites(parsed: ParsedCommand, policy: Policy): void {
  if (parsed.verb === "patch") checkPatch(parsed, policy);
  if (parsed.verb === "annotate") checkKeys(parsed, policy.annotations, "annotation");
  if (parsed.verb === "label") checkKeys(parsed, policy.labels, "label");
  if (parsed.verb === "create job") checkCreateJob(parsed);
  if (parsed.dryRun === "client") deny(REASON.DRY_RUN_CLIENT, "--dry-run=client is not checked by the server; use --dry-run=server");
  if (parsed.dryRun !== null && parsed.dryRun !== "server" && parsed.dryRun !== "none" && parsed.dryRun !== "client") {
    deny(REASON.INVALID_FLAG_VALUE, `--dry-run takes server, client or none, not "${parsed.dryRun}"`);
  }
}
