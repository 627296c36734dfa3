import assert from "node:assert/strict";
import { test } from "node:test";
import { bundledCardsDir, loadCardsSync, renderCard } from "../../src/cards/index.js";
import { computeRisk, parseCommand } from "../../src/policy/index.js";
import { RISK_LEVELS } from "../../src/cards/vocabulary.js";

test("every card's documented risk is the risk the policy engine computes for its first example", () => {
  const now = new Date("2024-05-01T12:00:00Z");
  for (const card of loadCardsSync([bundledCardsDir()]).cards) {
    const example = card.examples[0];
    assert.ok(example, card.id);
    const risks = renderCard(card, example.values, { now }).commands.map((command) => {
      const parsed = parseCommand(command);
      assert.ok(parsed.ok, `${card.id}: ${command}`);
      return computeRisk(parsed.parsed);
    });
    const highest = risks.reduce((a, b) => (RISK_LEVELS.indexOf(b) > RISK_LEVELS.indexOf(a) ? b : a), "none");
    assert.equal(card.risk_level, highest, `${card.id} says ${card.risk_level}, its command is ${highest}`);
  }
});
