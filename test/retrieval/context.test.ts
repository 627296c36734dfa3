import assert from "node:assert/strict";
import { test } from "node:test";
import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { createRetriever, renderContext } from "../../src/retrieval/index.js";

const cards = loadCardsSync([bundledCardsDir()]);
const all = cards.cards.map((card) => ({ card }));

test("context lists each card's id, title, risk, template, examples and notes, best hit first", async () => {
  const retriever = await createRetriever({ cards });
  const hits = retriever.searchLexical("bounce the web deployment");
  const context = renderContext(hits);
  assert.deepEqual(context.cardIds, hits.map((h) => h.card.id));
  const restart = cards.byId.get("deployment-restart")!;
  assert.ok(context.text.startsWith(`[deployment-restart] ${restart.title}`));
  assert.ok(context.text.includes(`risk: ${restart.risk_level}`));
  assert.ok(context.text.includes(`command ${restart.command_template as string}`));
  assert.ok(context.text.includes(`example "${restart.examples[0]!.goal}" →`));
  assert.ok(context.text.includes(`note: ${restart.notes[0]}`));
});

test("the token count is the tokenizer's count of the returned text", () => {
  const context = renderContext(all.slice(0, 3));
  assert.equal(context.tokens, countTokens(context.text));
});

test("every budget is respected, and tighter budgets keep fewer or shorter cards", () => {
  let previousLength = Number.POSITIVE_INFINITY;
  for (const budget of [1200, 600, 300, 120, 60]) {
    const context = renderContext(all, { tokenBudget: budget });
    assert.ok(context.tokens <= budget, `${context.tokens} > ${budget}`);
    assert.equal(countTokens(context.text), context.tokens);
    assert.ok(context.text.length <= previousLength);
    assert.ok(context.cardIds.length >= 1);
    previousLength = context.text.length;
  }
});

test("a budget too small for the first card yields an empty context", () => {
  const context = renderContext(all, { tokenBudget: 5 });
  assert.deepEqual(context, { text: "", tokens: 0, cardIds: [] });
});

test("multi-step templates are listed step by step, never joined into a pipeline", () => {
  const multi = cards.cards.find((c) => Array.isArray(c.command_template));
  assert.ok(multi, "the bundled cards include multi-step diagnosis cards");
  const context = renderContext([{ card: multi }]);
  assert.match(context.text, /\n {2}1\. /);
  assert.doesNotMatch(context.text, /&&|\|/);
});
