import type { Card } from "../../cards/index.js";
import type { InventorySnapshot } from "../../kube/index.js";
import type { GoalSlots } from "./slots.js";

/**
 * The machine-readable half of a question back: which field to send, the values it may take (from the cluster
 * when an inventory is available, else from the candidate cards), and a structured request to send back with
 * that field filled in (the first candidate, or a `<field>` placeholder).
 */
export interface GoalAsk {
  readonly field: string;
  readonly candidates: readonly string[];
  readonly example: Readonly<Record<string, unknown>>;
}

const MAX_CANDIDATES = 20;
const NAME_CARRIERS = new Set(["deployment", "statefulset", "daemonset", "job", "service", "kustomization"]);

export interface AskInput {
  readonly missing: readonly string[];
  readonly candidates: readonly { readonly card: Card; readonly missing: readonly string[] }[];
  readonly slots: GoalSlots;
  readonly inventory: InventorySnapshot | undefined;
  /** A field and candidates already decided (e.g. "did you mean" suggestions). */
  readonly given: GoalAsk | undefined;
  readonly name: string | undefined;
}

export function buildAsk(input: AskInput): GoalAsk {
  const { candidates, slots, given, name } = input;
  const first = candidates[0];
  const field = given?.field ?? input.missing[0] ?? first?.missing[0] ?? (first ? "params" : "goal");
  const values = given?.candidates.length ? [...given.candidates] : candidateValues(field, input);
  const example: Record<string, unknown> = {};
  if (first) {
    example["intent"] = first.card.intent;
    example["resource"] = first.card.resource;
    if (slots.namespace !== undefined && first.card.parameters.some((p) => p.name === "namespace")) example["namespace"] = slots.namespace;
    if (name !== undefined && first.card.parameters.some((p) => p.name === "name")) example["name"] = name;
    if (slots.selector !== undefined) example["selector"] = slots.selector;
    const params = Object.fromEntries(Object.entries(slots.params).filter(([key]) => first.card.parameters.some((p) => p.name === key)));
    if (Object.keys(params).length) example["params"] = params;
  }
  const placeholder = values[0] ?? `<${field}>`;
  if (!first || field === "goal" || field === "params") example["goal"] ??= "<the goal, rephrased as one operation on one object>";
  else if (["intent", "resource", "namespace", "name", "selector"].includes(field)) example[field] = placeholder;
  else example["params"] = { ...((example["params"] as Record<string, unknown> | undefined) ?? {}), [field]: placeholder };
  return { field, candidates: values.slice(0, MAX_CANDIDATES), example };
}

function candidateValues(field: string, input: AskInput): string[] {
  const { candidates, inventory, slots, name } = input;
  const resources = new Set<string>(candidates.map((c) => c.card.resource));
  switch (field) {
    case "intent":
      return [...new Set(candidates.map((c) => c.card.intent))];
    case "resource":
      if (inventory && name !== undefined) {
        const kinds = inventory.objects.filter((o) => o.name === name && (slots.namespace === undefined || o.namespace === slots.namespace)).map((o) => o.kind);
        if (kinds.length) return [...new Set(kinds)];
      }
      return [...resources];
    case "namespace":
      if (!inventory) return [];
      if (name !== undefined) {
        const where = inventory.objects.filter((o) => o.name === name).map((o) => o.namespace);
        if (where.length) return [...new Set(where)].sort();
      }
      return [...inventory.namespaces].sort();
    case "name":
      if (!inventory) return [];
      if (resources.has("node")) return [...inventory.nodes].sort();
      return inventory.objects
        .filter((o) => (resources.has(o.kind) || (o.kind === "cronjob" && resources.has("job"))) && NAME_CARRIERS.has(o.kind === "cronjob" ? "job" : o.kind))
        .filter((o) => slots.namespace === undefined || o.namespace === slots.namespace)
        .map((o) => o.name)
        .sort();
    default:
      return [];
  }
}
