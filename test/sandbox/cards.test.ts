import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, test } from "node:test";
import { bundledCardsDir, loadCardsSync, renderCard } from "../../src/cards/index.js";
import type { Card } from "../../src/cards/index.js";
import { tokenize } from "../../src/policy/tokenize.js";
import { harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

const hasFlux = spawnSync("flux", ["--version"], { stdio: "ignore" }).status === 0;
const cards = loadCardsSync([bundledCardsDir()]).cards;

const READ_VERBS = new Set(["get", "describe", "logs", "top", "events", "version"]);

function reads([binary, verb, sub]: readonly string[]): boolean {
  if (binary !== "kubectl") return binary === "flux" && verb === "get";
  return READ_VERBS.has(verb ?? "") || (verb === "rollout" && (sub === "status" || sub === "history"));
}

function argv(command: string): string[] {
  const result = tokenize(command);
  if (!result.ok) throw new Error(`cannot tokenize card follow-up ${command}: ${result.reasons.map((r) => r.message).join("; ")}`);
  return result.tokens;
}

/** Each example's rendered steps, then its follow-ups: what an operator would run, in order. */
function exampleSteps(card: Card): (readonly string[])[] {
  return card.examples.flatMap((example) => [...renderCard(card, example.values).steps, ...example.follow_up.map(argv)]);
}

let shared: Promise<Harness> | undefined;
after(async () => {
  if (shared) await (await shared).close();
});

test("the sandbox serves every card example (read-only cards share a sandbox, the others get a fresh one)", { concurrency: 2 }, async (t) => {
  assert.ok(cards.length > 0, "the bundled cards load");
  if (!hasFlux) t.diagnostic("flux CLI not installed: flux steps are skipped");
  for (const card of cards) {
    await t.test(card.id, async (ct) => {
      const steps = exampleSteps(card);
      // Cards that only read cannot change what the next card sees; every other card starts from the fixture.
      const readOnly = steps.every(reads);
      const h = readOnly ? await (shared ??= harness()) : await harness();
      try {
        for (const [binary, ...args] of steps) {
          const command = [binary, ...args].join(" ");
          if (binary === "flux" && !hasFlux) {
            ct.diagnostic(`skipped (flux CLI not installed): ${command}`);
            continue;
          }
          assert.equal(binary, "kubectl", `${card.id}: unexpected binary in ${command}`);
          const r = await h.kubectl(...args);
          assert.equal(r.code, 0, `${card.id}: "${command}" exited ${r.code}\n${r.stdout}\n${r.stderr}`);
        }
      } finally {
        if (!readOnly) await h.close();
      }
    });
  }
});
