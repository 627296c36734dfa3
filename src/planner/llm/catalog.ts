import type { Card } from "../../cards/index.js";
// One lazy cl100k loader for the whole project: retrieval's (it stands in for the model's own tokenizer too).
export { countTokens } from "../../tokens.js";

/** A plan holds one command; the steps of a multi-command card are listed in words, never joined by an operator. */
function oneLine(command: string | readonly string[]): string {
  return typeof command === "string" ? command : command.map((step, i) => `(${i + 1}) ${step}`).join(" then ");
}

/**
 * Every card in two lines: id, intent and command template, then the first example's goal and command.
 * Titles, notes and flags are left out: the template and a worked example are what a model copies from, and
 * the whole catalog has to stay small enough to sit in the fixed, cached part of the prompt.
 */
export function renderCatalog(cards: readonly Card[]): string {
  return cards
    .map((card) => {
      const lines = [`${card.id} (${card.intent}): ${oneLine(card.command_template)}`];
      const example = card.examples[0];
      if (example) lines.push(`  e.g. "${example.goal}" -> ${oneLine(example.command)}`);
      return lines.join("\n");
    })
    .join("\n");
}
