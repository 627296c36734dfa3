import type { InventorySnapshot } from "../../kube/index.js";
import type { ParserPartial } from "./card-choice.js";

/** Names listed in full up to this many; beyond it only the ones the goal's namespace or words point at. */
const FULL_LISTING = 60;
const RELEVANT_LISTING = 30;

/**
 * The cluster's names for the prompt, one line per kind: `deployment: prod/web, prod/api`. A small inventory is
 * listed whole, so its text is the same for every request of the same snapshot and stays in the evaluated
 * prefix; a large one is cut to the objects in the goal's namespace or named by its words.
 */
export function renderInventory(inventory: InventorySnapshot, goal: string, partial: ParserPartial): string {
  const words = new Set(goal.toLowerCase().split(/[^a-z0-9.-]+/));
  const objects = [...inventory.objects].sort((a, b) => `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`));
  const total = inventory.namespaces.size + inventory.nodes.size + objects.length;
  const relevant = (namespace: string, name: string) => namespace === partial.namespace || words.has(name) || words.has(namespace) || partial.names.includes(name);
  const shown = total <= FULL_LISTING ? objects : objects.filter((o) => relevant(o.namespace, o.name)).slice(0, RELEVANT_LISTING);
  const lines = [`namespaces: ${[...inventory.namespaces].sort().join(", ") || "(none)"}`];
  if (inventory.nodes.size > 0) lines.push(`nodes: ${[...inventory.nodes].sort().slice(0, total <= FULL_LISTING ? undefined : 10).join(", ")}`);
  const byKind = new Map<string, string[]>();
  for (const o of shown) byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), `${o.namespace}/${o.name}`]);
  for (const [kind, names] of byKind) lines.push(`${kind}: ${names.join(", ")}`);
  if (shown.length < objects.length) lines.push(`(${objects.length - shown.length} more objects not listed)`);
  return lines.join("\n");
}

/** The parser's partial reading of the goal, in one line; empty when it found nothing. */
export function renderPartial(partial: ParserPartial): string {
  const parts: string[] = [];
  if (partial.namespace !== undefined) parts.push(`namespace ${partial.namespace}`);
  if (partial.names.length > 0) parts.push(`names ${partial.names.join(", ")}`);
  if (partial.selector !== undefined) parts.push(`selector ${partial.selector}`);
  for (const [k, v] of Object.entries(partial.params)) parts.push(`${k} ${String(v)}`);
  const cards = partial.cards.slice(0, 4).map((c) => (c.missing.length > 0 ? `${c.id} (needs ${c.missing.join(", ")})` : c.id));
  if (cards.length > 0) parts.push(`cards ${cards.join(", ")}`);
  return parts.join("; ");
}
