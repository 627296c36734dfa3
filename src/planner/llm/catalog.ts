import type { Card } from "../../cards/index.js";
import { formatAnswer } from "./card-choice.js";
// One lazy cl100k loader for the whole project: retrieval's (it stands in for the model's own tokenizer too).
export { countTokens } from "../../tokens.js";

/** A plan holds one command; the steps of a multi-command card are listed in words, never joined by an operator. */
function oneLine(command: string | readonly string[]): string {
  return typeof command === "string" ? command : command.map((step, i) => `(${i + 1}) ${step}`).join(" then ");
}

/** A card example as the answer the model gives for it: namespace, name, then the other values it sets. */
function exampleAnswer(card: Card, values: Readonly<Record<string, string | number | boolean>>): string {
  const rank = (key: string) => (key === "namespace" ? 0 : key === "name" ? 1 : 2);
  const keys = card.parameters.map((p) => p.name).filter((k) => values[k] !== undefined && !(k in card.resolve));
  return formatAnswer(card.id, keys.sort((a, b) => rank(a) - rank(b)).map((k) => [k, String(values[k])] as const));
}

/**
 * Every card in two lines: id, intent and command template, then the first example's goal with the card answer
 * for it and the command it renders to. Titles, notes and flags are left out: the template and a worked example
 * are what a model copies from, and the whole catalog has to stay small enough to sit in the fixed, cached part
 * of the prompt.
 */
export function renderCatalog(cards: readonly Card[]): string {
  return cards
    .map((card) => {
      const lines = [`${card.id} (${card.intent}): ${oneLine(card.command_template)}`];
      const example = card.examples[0];
      if (example) lines.push(`  e.g. "${example.goal}" -> ${exampleAnswer(card, example.values)}`);
      return lines.join("\n");
    })
    .join("\n");
}
