import type { Card } from "../cards/schema.js";
import { NOW } from "../cards/template.js";
import { slotValues } from "./template.js";
import type { Slots } from "./template.js";

export interface CardMismatch {
  readonly cardId: string;
  readonly missing: readonly string[];
  readonly unsupported: readonly string[];
  readonly binary: string;
  readonly binaryAvailable: boolean;
}

export type CardChoice =
  | { readonly ok: true; readonly card: Card }
  | { readonly ok: false; readonly mismatches: readonly CardMismatch[] };

export function cardBinary(card: Card): string {
  const first = typeof card.command_template === "string" ? card.command_template : card.command_template[0];
  return (first ?? "").trimStart().split(/\s+/, 1)[0] ?? "";
}

function mismatch(card: Card, provided: readonly string[], binaries: ReadonlySet<string>): CardMismatch {
  const declared = new Set(card.parameters.map((p) => p.name));
  const binary = cardBinary(card);
  return {
    cardId: card.id,
    missing: card.parameters
      .filter((p) => p.required && p.default === undefined && p.name !== NOW && !provided.includes(p.name) && !(p.name in card.resolve))
      .map((p) => p.name),
    // A value the card looks up from the cluster is never taken from the request.
    unsupported: provided.filter((name) => !declared.has(name) || name in card.resolve),
    binary,
    binaryAvailable: binaries.has(binary),
  };
}

/**
 * Picks the first card (in retrieval order) for the slots' intent and resource that declares every slot
 * the request fills, needs no slot it leaves empty, and whose binary is installed.
 */
export function chooseCard(ranked: readonly Card[], slots: Slots, binaries: ReadonlySet<string>): CardChoice {
  const provided = Object.keys(slotValues(slots));
  const mismatches: CardMismatch[] = [];
  for (const card of ranked) {
    if (card.intent !== slots.intent || card.resource !== slots.resource) continue;
    const m = mismatch(card, provided, binaries);
    if (m.missing.length === 0 && m.unsupported.length === 0 && m.binaryAvailable) return { ok: true, card };
    mismatches.push(m);
  }
  return { ok: false, mismatches };
}
