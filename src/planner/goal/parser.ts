import type { Card } from "../../cards/index.js";
import type { Intent, Resource } from "../../cards/vocabulary.js";
import { RESOURCES } from "../../cards/vocabulary.js";
import { canonicalTerms } from "../../retrieval/index.js";
import type { RetrievalHit } from "../../retrieval/index.js";
import { cardBinary } from "../select.js";
import { planFromCard, slotValues } from "../template.js";
import type { Slots } from "../template.js";
import type { Plan } from "../types.js";
import { extractSlots } from "./slots.js";
import type { GoalSlots } from "./slots.js";

/** Canonical retrieval terms that show a goal really asks for an intent (not just shares words with a card). */
const INTENT_EVIDENCE: Readonly<Record<Intent, readonly string[]>> = {
  restart: ["restart"],
  status: ["status"],
  history: ["history"],
  undo: ["undo"],
  scale: ["scale", "replica"],
  describe: ["describe"],
  logs: ["log", "previous", "follow"],
  diagnose: ["diagnose", "crashloop", "imagepull", "oom", "pending"],
  events: ["event", "warning"],
  top: ["usage", "cpu", "memory"],
  cordon: ["cordon"],
  uncordon: ["uncordon"],
  drain: ["drain"],
  list: ["list"],
  view: ["view"],
  rerun: ["rerun"],
  get: ["list", "status"],
  reconcile: ["reconcile"],
  suspend: ["suspend"],
  resume: ["resume"],
};

export interface GoalCandidate {
  readonly card: Card;
  readonly missing: readonly string[];
}

export type GoalParse =
  | { readonly kind: "plan"; readonly plan: Plan }
  | { readonly kind: "needs_input"; readonly candidates: readonly GoalCandidate[]; readonly missing: readonly string[]; readonly reason: string };

function requiredMissing(card: Card, slots: Slots): string[] {
  const given = new Set(Object.keys(slotValues(slots)));
  return card.parameters.filter((p) => p.required && p.default === undefined && p.name !== "now" && !given.has(p.name)).map((p) => p.name);
}

/** The slots a card can take from what the goal said: only parameters the card declares. */
function slotsFor(card: Card, slots: GoalSlots, name: string | undefined): Slots {
  const declared = new Set(card.parameters.map((p) => p.name));
  const params: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(slots.params)) if (declared.has(key)) params[key] = value;
  return {
    intent: card.intent,
    resource: card.resource,
    namespace: declared.has("namespace") ? slots.namespace : undefined,
    name: declared.has("name") ? name : undefined,
    selector: declared.has("selector") ? slots.selector : undefined,
    params,
  };
}

/**
 * Plans a goal without a model when exactly one card fits and every required slot was stated explicitly;
 * otherwise says what is missing. It never guesses: an ambiguous kind, name or intent is a question back.
 */
export function parseGoal(goal: string, hits: readonly RetrievalHit[], binaries: ReadonlySet<string>): GoalParse {
  const terms = canonicalTerms(goal);
  const slots = extractSlots(goal);
  const mentioned = RESOURCES.filter((r) => terms.has(r) || (r === "job" && terms.has("cronjob")));
  const usable = hits.map((h) => h.card).filter((card) => binaries.has(cardBinary(card)));
  const top = usable.find((card) => mentioned.length === 0 || mentioned.includes(card.resource));
  const needs = (missing: string[], reason: string, candidates: readonly Card[] = usable.slice(0, 4)): GoalParse => ({
    kind: "needs_input",
    candidates: candidates.map((card) => ({ card, missing: requiredMissing(card, slotsFor(card, slots, slots.names[0])) })),
    missing,
    reason,
  });
  if (terms.has("delete")) return needs(["intent"], "deleting is not something rag-k8s plans; say what outcome you want (restart, scale, ...)");
  if (!top) return needs(["intent", "resource"], "no card matches this goal");
  if (!INTENT_EVIDENCE[top.intent].some((t) => terms.has(t))) {
    return needs(["intent"], `the goal does not say what to do (closest: ${top.intent} ${top.resource})`);
  }
  const group = usable.filter(
    (card) => card.intent === top.intent && (mentioned.length === 0 ? true : mentioned.includes(card.resource)),
  );
  const name = slots.anchoredNames.length === 1 ? slots.anchoredNames[0] : slots.names.length === 1 ? slots.names[0] : undefined;
  if (name === undefined && slots.names.length > 1 && group.some((card) => card.parameters.some((p) => p.name === "name"))) {
    return needs(["name"], `several possible object names: ${slots.names.join(", ")}`, group);
  }
  const fitting = group.filter((card) => requiredMissing(card, slotsFor(card, slots, name)).length === 0);
  const kinds = new Set<Resource>(fitting.map((card) => card.resource));
  if (kinds.size > 1) {
    return needs(["resource"], `which kind of object is it: ${[...kinds].join(" or ")}?`, fitting);
  }
  const chosen = fitting[0];
  if (!chosen) {
    const missing = requiredMissing(top, slotsFor(top, slots, name));
    return needs(missing, `missing ${missing.join(", ")} for ${top.id}`, group);
  }
  return { kind: "plan", plan: planFromCard(chosen, slotsFor(chosen, slots, name), "goal-parser") };
}
