import { createRequire } from "node:module";
import type { Card } from "../cards/index.js";

export interface RenderContextOptions {
  /** Upper bound for the rendered text, in cl100k_base tokens. Default 1200. */
  readonly tokenBudget?: number;
}

export interface RenderedContext {
  readonly text: string;
  /** Exact cl100k_base token count of `text`. */
  readonly tokens: number;
  /** Cards that made it into `text`, in order. */
  readonly cardIds: readonly string[];
}

type CountTokens = (text: string) => number;
let countTokensImpl: CountTokens | undefined;

/**
 * gpt-tokenizer's cl100k_base table takes ~200 ms to load, so it is required on first use, not at import:
 * CLI commands that never render context must not pay for it. cl100k is a stand-in for whatever model reads
 * the context; counts from other BPE vocabularies differ by a few percent.
 */
export function countTokens(text: string): number {
  if (countTokensImpl === undefined) {
    const require = createRequire(import.meta.url);
    countTokensImpl = (require("gpt-tokenizer/cjs/encoding/cl100k_base") as { countTokens: CountTokens }).countTokens;
  }
  return countTokensImpl(text);
}

/** Detail levels tried per card, richest first, until the card fits the remaining budget. */
const DETAIL_LEVELS = [
  { examples: 2, notes: 3 },
  { examples: 1, notes: 2 },
  { examples: 1, notes: 0 },
  { examples: 0, notes: 0 },
] as const;

/**
 * Compact card snippets for a language model, best hit first, within a token budget: each card gets the
 * richest detail level that still fits; rendering stops at the first card that fits at no level.
 */
export function renderContext(hits: readonly { readonly card: Card }[], options: RenderContextOptions = {}): RenderedContext {
  const budget = options.tokenBudget ?? 1200;
  const snippets: string[] = [];
  const cardIds: string[] = [];
  let tokens = 0;
  for (const { card } of hits) {
    let accepted: { snippet: string; tokens: number } | undefined;
    for (const level of DETAIL_LEVELS) {
      const snippet = cardSnippet(card, level.examples, level.notes);
      const count = countTokens([...snippets, snippet].join("\n\n"));
      if (count <= budget) {
        accepted = { snippet, tokens: count };
        break;
      }
    }
    if (accepted === undefined) break;
    snippets.push(accepted.snippet);
    cardIds.push(card.id);
    tokens = accepted.tokens;
  }
  return { text: snippets.join("\n\n"), tokens, cardIds };
}

function cardSnippet(card: Card, examples: number, notes: number): string {
  const lines = [`[${card.id}] ${card.title} (intent: ${card.intent}, resource: ${card.resource}, risk: ${card.risk_level})`];
  lines.push(...commandLines("command", card.command_template));
  for (const example of card.examples.slice(0, examples)) {
    lines.push(...commandLines(`example "${example.goal}" →`, example.command));
  }
  for (const note of card.notes.slice(0, notes)) lines.push(`note: ${note}`);
  return lines.join("\n");
}

/** A card may hold several commands run one after another; they are listed, never joined into a pipeline. */
function commandLines(label: string, command: string | readonly string[]): string[] {
  if (typeof command === "string") return [`${label} ${command}`];
  return [label, ...command.map((step, i) => `  ${i + 1}. ${step}`)];
}
