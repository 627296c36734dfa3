import { createRequire } from "node:module";
import type { Card } from "../../cards/index.js";

type CountTokens = (text: string) => number;
let countTokensImpl: CountTokens | undefined;

/**
 * cl100k_base counts stand in for the model's own tokenizer (Qwen2.5-class BPEs are within a few percent).
 * The table takes ~200 ms to load, so it is required on first use, not at import.
 */
export function countTokens(text: string): number {
  if (countTokensImpl === undefined) {
    const require = createRequire(import.meta.url);
    countTokensImpl = (require("gpt-tokenizer/cjs/encoding/cl100k_base") as { countTokens: CountTokens }).countTokens;
  }
  return countTokensImpl(text);
}

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
