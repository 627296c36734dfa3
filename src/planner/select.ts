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
  | { readonly ok: true; readonly card: Card; readonly slots: Slots }
  | { readonly ok: false; readonly mismatches: readonly CardMismatch[] };

export function cardBinary(card: Card): string {
  const first = typeof card.command_template === "string" ? card.command_template : card.command_template[0];
  return (first ?? "").trimStart().split(/\s+/, 1)[0] ?? "";
}

/**
 * Required parameters of a card that `given` does not fill: the one missing-parameter rule. Defaults, the
 * template's own `now` and values the card looks up from the cluster never count as missing.
 */
export function missingParameters(card: Card, given: Iterable<string>): string[] {
  const provided = new Set(given);
  return card.parameters
    .filter((p) => p.required && p.default === undefined && p.name !== NOW && !provided.has(p.name) && !(p.name in card.resolve))
    .map((p) => p.name);
}

/**
 * Request words that a card may declare under another name ("revision" is `to_revision` for rollout undo).
 * A parameter is renamed only when the card does not declare the given name itself.
 */
export const PARAM_ALIASES: Readonly<Record<string, readonly string[]>> = { revision: ["to_revision"], event_type: ["type"] };

/** The slots with parameter names the card declares, where an alias maps a given name onto one. */
export function slotsForCard(card: Card, slots: Slots): Slots {
  if (!slots.params) return slots;
  const declared = new Set(card.parameters.map((p) => p.name));
  const params: Record<string, string | number | boolean | undefined> = {};
  for (const [key, value] of Object.entries(slots.params)) {
    const alias = declared.has(key) ? undefined : PARAM_ALIASES[key]?.find((name) => declared.has(name) && slots.params?.[name] === undefined);
    params[alias ?? key] = value;
  }
  return { ...slots, params };
}

function mismatch(card: Card, provided: readonly string[], binaries: ReadonlySet<string>): CardMismatch {
  const declared = new Set(card.parameters.map((p) => p.name));
  const binary = cardBinary(card);
  return {
    cardId: card.id,
    missing: missingParameters(card, provided),
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
  const mismatches: CardMismatch[] = [];
  for (const card of ranked) {
    if (card.intent !== slots.intent || card.resource !== slots.resource) continue;
    const fitted = slotsForCard(card, slots);
    const m = mismatch(card, Object.keys(slotValues(fitted)), binaries);
    if (m.missing.length === 0 && m.unsupported.length === 0 && m.binaryAvailable) return { ok: true, card, slots: fitted };
    mismatches.push(m);
  }
  return { ok: false, mismatches };
}
