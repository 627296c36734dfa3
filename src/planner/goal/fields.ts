import { isDns1123Label, isDns1123Subdomain, kindOf } from "../../kube/index.js";
import type { GoalSlots } from "./slots.js";
import type { GoalFields } from "./types.js";

/** Structured fields fill what the text leaves out; one that contradicts the text is a problem to ask about. */
export function applyFields(slots: GoalSlots, fields: GoalFields | undefined): { field: string; message: string } | undefined {
  if (!fields) return undefined;
  if (fields.namespace !== undefined) {
    if (!isDns1123Label(fields.namespace)) return { field: "namespace", message: `namespace "${fields.namespace}" is not a valid namespace name` };
    if (slots.namespace !== undefined && slots.namespace !== fields.namespace) {
      return { field: "namespace", message: `the goal says namespace ${slots.namespace} but the request field says ${fields.namespace}` };
    }
    slots.namespace = fields.namespace;
  }
  if (fields.name !== undefined) {
    if (!isDns1123Subdomain(fields.name)) return { field: "name", message: `name "${fields.name}" is not a valid object name` };
    const named = slots.anchoredNames[0] ?? (slots.names.length === 1 ? slots.names[0] : undefined);
    if (named !== undefined && named !== fields.name) return { field: "name", message: `the goal names ${named} but the request field says ${fields.name}` };
    slots.names = [fields.name];
    slots.anchoredNames = [fields.name];
    if (fields.resource) slots.anchorKinds[fields.name] = kindOf(fields.resource) ?? fields.resource;
  }
  for (const [key, value] of Object.entries(fields.params ?? {})) slots.params[key] = value;
  return undefined;
}

/**
 * Things that look like words of a goal but are options of the request or of the target, never of the command:
 * planning without them would run something else than was asked (for real instead of a dry run, on the
 * configured cluster instead of another context, without an unstated condition).
 */
export function requestOption(lower: string): string | undefined {
  if (/\bdry[\s-]?run\b/.test(lower)) return "a dry run is an option of the request, not of the goal: send constraints.dryRun=true (CLI --dry-run)";
  if (/\bconfirm(ed)?\b/.test(lower)) return "confirmation is an option of the request: send constraints.confirm=true (CLI --confirm)";
  if (/\b(context|kubeconfig|kube-context)\b|\b(on|in|against)\s+(the\s+)?(?!the\b|this\b|my\b|our\b|whole\b|entire\b|k8s\b|kubernetes\b)\S+\s+cluster\b/.test(lower)) {
    return "rag-k8s acts on its configured target; choose another cluster or context in its configuration, not in the goal";
  }
  if (/\bas\s+(?:the\s+)?(?:admin|root|cluster-admin|superuser|system:\S+|user\s+\S+|serviceaccount\s+\S+)\b|\bimpersonat/.test(lower)) {
    return "rag-k8s does not impersonate other users";
  }
  if (/\b(if|unless|only if|in case)\b/.test(lower)) return "the goal states a condition rag-k8s cannot check; check it first (e.g. ask for the status), then send the operation";
  return undefined;
}
