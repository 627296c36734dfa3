import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { readEvalSet } from "../../src/eval/index.js";
import { parseInventory } from "../../src/kube/index.js";
import { parseGoal } from "../../src/planner/goal/index.js";
import { LookupRequired } from "../../src/planner/template.js";
import { createRetriever } from "../../src/retrieval/index.js";

const cards = loadCardsSync([bundledCardsDir()]);
const retriever = await createRetriever({ cards });
const binaries: ReadonlySet<string> = new Set(["kubectl"]);

/** The fixture's objects as `kubectl get … -o json` lists them (eval/measure-goals.ts reads the same through a sandbox). */
function homelabInventory() {
  const fixture = parse(readFileSync("eval/homelab.fixture.yaml", "utf8")) as { objects: unknown[] };
  const inventory = parseInventory(JSON.stringify({ kind: "List", items: fixture.objects }), 0);
  assert.ok(inventory.ok);
  return inventory;
}

test("homelab goals resolve kinds and namespaces from the inventory: no wrong command, >= 95% right", async () => {
  const inventory = homelabInventory();
  const cases = await readEvalSet("eval/homelab.jsonl");
  assert.ok(cases.length >= 50);
  let right = 0;
  const wrong: string[] = [];
  for (const c of cases) {
    const goal = c.goal ?? "";
    let command: string | undefined;
    try {
      const parsed = parseGoal(goal, retriever.searchLexical(goal, { k: 6 }), binaries, { inventory });
      command = parsed.kind === "plan" ? parsed.plan.command : undefined;
    } catch (error) {
      if (!(error instanceof LookupRequired)) throw error;
    }
    const { command: exact, commandRegex } = c.expect;
    const expected = exact !== undefined || commandRegex !== undefined;
    const matches = command !== undefined && (exact !== undefined ? command === exact : commandRegex !== undefined && new RegExp(commandRegex).test(command));
    if (command !== undefined && !matches) wrong.push(`${c.id}: ${goal} -> ${command}`);
    if (expected ? matches : command === undefined) right++;
  }
  assert.deepEqual(wrong, []);
  assert.ok(right / cases.length >= 0.95, `homelab: ${right}/${cases.length}`);
});

// Rows that expect a question because a name does not exist in this cluster ("drain nuc-03") may plan from text
// alone; what must never happen is a different command where one is expected.
test("without the inventory, homelab goals that expect a command never plan a different one", async () => {
  const cases = await readEvalSet("eval/homelab.jsonl");
  for (const c of cases) {
    const goal = c.goal ?? "";
    try {
      const parsed = parseGoal(goal, retriever.searchLexical(goal, { k: 6 }), binaries);
      const { command, commandRegex } = c.expect;
      if (parsed.kind !== "plan" || (command === undefined && commandRegex === undefined)) continue;
      const ok = command !== undefined ? parsed.plan.command === command : commandRegex !== undefined && new RegExp(commandRegex).test(parsed.plan.command);
      assert.ok(ok, `${c.id}: ${goal} -> ${parsed.plan.command}`);
    } catch (error) {
      if (!(error instanceof LookupRequired)) throw error;
    }
  }
});
