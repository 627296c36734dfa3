import type { Inventory } from "../../kube/index.js";
import type { RetrievalHit } from "../../retrieval/index.js";
import { parseGoal } from "./parser.js";
import type { GoalParse, ParseGoalOptions } from "./parser.js";

/**
 * parseGoal against the target's cached inventory: when a name or namespace is missing from the snapshot (a
 * deployment created a moment ago), the inventory is read again once and the goal parsed again. Without a
 * reachable cluster the goal is read from its text alone, and the question back says so (`textOnly`).
 */
export async function parseGoalWithInventory(
  goal: string,
  hits: readonly RetrievalHit[],
  binaries: ReadonlySet<string>,
  inventory: Inventory,
  options: Omit<ParseGoalOptions, "inventory"> = {},
): Promise<GoalParse> {
  const snapshot = await inventory.snapshot();
  if (!snapshot.ok) return withNote(parseGoal(goal, hits, binaries, options), `cluster inventory unavailable (${snapshot.reason}); read from the text alone`);
  const first = parseGoal(goal, hits, binaries, { ...options, inventory: snapshot });
  if (first.kind !== "needs_input" || first.inventoryMiss !== true) return first;
  const fresh = await inventory.refresh();
  if (!fresh.ok || fresh === snapshot) return first;
  return parseGoal(goal, hits, binaries, { ...options, inventory: fresh });
}

function withNote(parse: GoalParse, note: string): GoalParse {
  return { ...parse, notes: [...(parse.notes ?? []), note] };
}
