import { PolicyLoadError, readPolicyConfig } from "./load.js";
import type { Locate, PolicyProblem } from "./load.js";
import type { PolicyConfig } from "./schema.js";
import { canonicalFieldPath } from "./output.js";
import { KNOWN_RESOURCES } from "./spec.js";

/** Verbs that only ever act on nodes or on nothing namespaced: listing them for a namespace has no effect. */
const CLUSTER_ONLY_VERBS: ReadonlySet<string> = new Set(["top node", "cordon", "uncordon", "drain", "api-resources", "api-versions", "version", "explain"]);

function* problems(config: PolicyConfig): Generator<[path: (string | number)[], message: string]> {
  const global = new Set(config.verbs);
  for (const [i, resource] of config.resources.entries()) {
    if (!KNOWN_RESOURCES.has(resource)) yield [["resources", i], `"${resource}" is not a resource rag-k8s recognises, so no command can name it`];
  }
  const rules = [
    ...Object.entries(config.namespaces).map(([ns, rule]) => [["namespaces", ns], rule] as const),
    [["prodLikeNamespaces"], config.prodLikeNamespaces] as const,
    [["unlistedNamespaces"], config.unlistedNamespaces] as const,
    [["cluster"], config.cluster] as const,
  ];
  for (const [path, rule] of rules) {
    for (const [i, verb] of rule.verbs.entries()) {
      if (!global.has(verb)) yield [[...path, "verbs", i], `"${verb}" is not in the global verbs list, so it is never allowed here`];
      if (path[0] !== "cluster" && CLUSTER_ONLY_VERBS.has(verb)) yield [[...path, "verbs", i], `"${verb}" acts on cluster-scoped objects; list it under cluster`];
    }
  }
  const resources = new Set(config.resources);
  for (const key of ["patches", "annotations", "labels"] as const) {
    for (const [i, rule] of config[key].entries()) {
      if (!resources.has(rule.resource)) yield [[key, i, "resource"], `"${rule.resource}" is not in the resources list, so this rule never applies`];
    }
  }
  for (const [i, rule] of config.forbidden.entries()) {
    if (rule.resource !== undefined && !KNOWN_RESOURCES.has(rule.resource)) yield [["forbidden", i, "resource"], `"${rule.resource}" is not a resource rag-k8s recognises`];
    if (global.has(rule.verb) && rule.resource === undefined) yield [["forbidden", i, "verb"], `"${rule.verb}" is both allowed and forbidden outright`];
  }
  for (const [i, field] of config.fieldPaths.entries()) {
    if (canonicalFieldPath(field.path) === null) yield [["fieldPaths", i, "path"], `"${field.path}" is not a JSONPath rag-k8s can read, so it allows nothing`];
  }
  if (!config.confirm.risks.includes("high")) yield [["confirm", "risks"], "high-risk commands (drain, delete, scale to 0) would run without confirmation"];
}

/**
 * Loads a policy folder (default: the bundled one) and reports what is invalid (the PolicyLoadError problems:
 * file:line:col, or a missing file by name) or valid but surely unintended: rules that can never apply, verbs
 * listed where they have no effect, high risk without confirmation. An empty list means the folder is clean.
 * Print each with formatPolicyProblem.
 */
export function lintPolicyDir(dir?: string): PolicyProblem[] {
  let config: PolicyConfig;
  let locate: Locate;
  try {
    ({ config, locate } = readPolicyConfig(dir));
  } catch (error) {
    if (error instanceof PolicyLoadError) return [...error.problems];
    throw error;
  }
  return [...problems(config)].map(([path, message]) => ({ ...locate(path), message: `${path.join(".")}: ${message}` }));
}
