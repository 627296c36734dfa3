import type { Card } from "../cards/index.js";

/**
 * The text a card is embedded as: what it is for, in the words operators use. Commands and notes are left
 * out: they dilute a 384-d sentence vector with placeholders and caveats shared by many cards.
 */
export function cardEmbeddingText(card: Card): string {
  return [
    `${card.title}.`,
    `${card.intent} ${card.resource}.`,
    card.keywords.join(", "),
    ...card.examples.map((example) => example.goal),
  ]
    .filter((part) => part.length > 0)
    .join(" ");
}
