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

/** Plain words that also show the intent, for phrasings the retrieval vocabulary treats as stopwords. */
const INTENT_WORDS: Partial<Readonly<Record<Intent, RegExp>>> = {
  status: /\b(done|finished|complete[d]?|rolled out|progress(ing)?|wait for)\b/i,
  list: /\b(list|show all|all|which|what)\b/i,
  view: /\b(show|get|print|display|see|contents?|read)\b/i,
  events: /\b(what happened|happening)\b/i,
};

function hasEvidence(intent: Intent, terms: ReadonlySet<string>, goal: string): boolean {
  return INTENT_EVIDENCE[intent].some((t) => terms.has(t)) || (INTENT_WORDS[intent]?.test(goal) ?? false);
}

export interface GoalCandidate {
  readonly card: Card;
  readonly missing: readonly string[];
}

export type GoalParse =
  | { readonly kind: "plan"; readonly plan: Plan }
  | { readonly kind: "needs_input"; readonly candidates: readonly GoalCandidate[]; readonly missing: readonly string[]; readonly reason: string };

function requiredMissing(card: Card, slots: Slots): string[] {
  const given = new Set(Object.keys(slotValues(slots)));
  return card.parameters
    .filter((p) => p.required && p.default === undefined && p.name !== "now" && !given.has(p.name) && !(p.name in card.resolve))
    .map((p) => p.name);
}

/** Goal words map to the parameter a card actually declares ("revision 3" is `to_revision` for rollout undo). */
const PARAM_ALIASES: Readonly<Record<string, readonly string[]>> = { revision: ["revision", "to_revision"], event_type: ["type"] };

/** Intents that change the cluster; a goal asking for two of them is two operations, not one. */
const ACTIONS: readonly Intent[] = ["restart", "scale", "undo", "cordon", "uncordon", "drain", "rerun", "reconcile", "suspend", "resume"];

function declaredName(card: Card, param: string): string | undefined {
  const declared = new Set(card.parameters.map((p) => p.name));
  return (PARAM_ALIASES[param] ?? [param]).find((name) => declared.has(name));
}

function templateText(card: Card): string {
  return typeof card.command_template === "string" ? card.command_template : card.command_template.join("\n");
}

/**
 * Parameters the goal states that the card cannot express ("rollback to revision 3" on a card without a
 * revision): planning would silently drop them, so such a card does not fit. A flag the template always sets
 * (`--previous` on the crash-loop diagnosis) is not a conflict.
 */
function unsupported(card: Card, slots: GoalSlots): string[] {
  return Object.keys(slots.params).filter((param) => !declaredName(card, param) && !templateText(card).includes(`--${param}`));
}

/** The slots a card can take from what the goal said: only parameters the card declares. */
function slotsFor(card: Card, slots: GoalSlots, name: string | undefined): Slots {
  const params: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(slots.params)) {
    const target = declaredName(card, key);
    if (target) params[target] = value;
  }
  return {
    intent: card.intent,
    resource: card.resource,
    namespace: declaredName(card, "namespace") ? slots.namespace : undefined,
    name: declaredName(card, "name") ? name : undefined,
    selector: declaredName(card, "selector") ? slots.selector : undefined,
    params,
  };
}

/**
 * Plans a goal without a model when exactly one card fits and every required slot was stated explicitly;
 * otherwise says what is missing. It never guesses: an ambiguous kind, name or intent is a question back.
 */
export function parseGoal(goal: string, hits: readonly RetrievalHit[], binaries: ReadonlySet<string>): GoalParse {
  const slots = extractSlots(goal);
  // A namespace's name is not evidence of intent: "in logging" does not ask for logs.
  const said = slots.namespace === undefined ? goal : goal.replace(new RegExp(`(?<![\\w-])${slots.namespace.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), " ");
  const terms = canonicalTerms(said);
  // "in namespace prod" names a namespace; it does not make namespaces the subject.
  const named = RESOURCES.filter(
    (r) => (terms.has(r) || (r === "job" && terms.has("cronjob"))) && !(r === "namespace" && slots.namespace !== undefined),
  );
  const usable = hits.map((h) => h.card).filter((card) => binaries.has(cardBinary(card)));
  // "events about deployment web": the events are the intent and the deployment the subject, when a card
  // shows a deployment's events; otherwise ("events for pod x") the event cards filter by the object's name.
  const subject = named.length === 2 && named.includes("event") ? named.find((r) => r !== "event") : undefined;
  const mentioned = subject !== undefined && usable.some((card) => card.intent === "events" && card.resource === subject) ? [subject] : named;
  const relevant = usable.filter((card) => mentioned.length === 0 || mentioned.includes(card.resource));
  const top = relevant.find((card) => hasEvidence(card.intent, terms, said)) ?? relevant[0];
  const needs = (missing: string[], reason: string, candidates: readonly Card[] = usable.slice(0, 4)): GoalParse => ({
    kind: "needs_input",
    candidates: candidates.map((card) => ({ card, missing: requiredMissing(card, slotsFor(card, slots, slots.names[0])) })),
    missing,
    reason,
  });
  if (/[;&|<>`$\\]/.test(goal)) return needs([], "the goal contains shell syntax; describe the outcome in words instead");
  if (slots.rejected.length) return needs([], `not valid here: ${slots.rejected.join(", ")} (names are lowercase DNS-1123; only -n, -l, -c and a few log/scale flags are understood)`);
  if (slots.unclear.length) return needs([], `unclear: ${slots.unclear.join(", ")}; state each value once, e.g. "to 3 replicas", "timeout 10m", "in staging"`);
  const actions = ACTIONS.filter((intent) => INTENT_EVIDENCE[intent].some((t) => terms.has(t)));
  if (actions.length > 1) return needs(["intent"], `the goal asks for several operations (${actions.join(", ")}); ask for one at a time`);
  if (terms.has("delete")) return needs(["intent"], "deleting is not something rag-k8s plans; say what outcome you want (restart, scale, ...)");
  if (!top) return needs(["intent", "resource"], "no card matches this goal");
  if (!hasEvidence(top.intent, terms, said)) {
    return needs(["intent"], `the goal does not say what to do (closest: ${top.intent} ${top.resource})`);
  }
  const name = slots.anchoredNames.length === 1 ? slots.anchoredNames[0] : slots.names.length === 1 ? slots.names[0] : undefined;
  const groupOf = (intent: Intent) =>
    usable.filter((card) => card.intent === intent && (mentioned.length === 0 || mentioned.includes(card.resource)));
  const fittingOf = (group: readonly Card[]) =>
    group.filter((card) => requiredMissing(card, slotsFor(card, slots, name)).length === 0 && unsupported(card, slots).length === 0);
  const group = groupOf(top.intent);
  if (name === undefined && slots.names.length > 1 && group.some((card) => card.parameters.some((p) => p.name === "name"))) {
    return needs(["name"], `several possible object names: ${slots.names.join(", ")}`, group);
  }
  let fitting = fittingOf(group);
  if (fitting.length === 0) {
    // "which pods are failed": the first intent with evidence (diagnose) cannot be filled, but listing can.
    // Only a single other intent that fits completely is taken; two would be a guess.
    const others = [...new Set(relevant.filter((card) => card.intent !== top.intent && hasEvidence(card.intent, terms, said)).map((c) => c.intent))]
      .map((intent) => fittingOf(groupOf(intent)))
      .filter((cards) => cards.length > 0);
    if (others.length === 1 && others[0]) fitting = others[0];
  }
  const kinds = new Set<Resource>(fitting.map((card) => card.resource));
  if (kinds.size > 1) {
    return needs(["resource"], `which kind of object is it: ${[...kinds].join(" or ")}?`, fitting);
  }
  const chosen = fitting[0];
  if (!chosen) {
    const missing = requiredMissing(top, slotsFor(top, slots, name));
    const extra = unsupported(top, slots);
    if (missing.length === 0 && extra.length > 0) {
      return needs([], `${top.id} cannot take ${extra.join(", ")}; rephrase or give intent/resource explicitly`, group);
    }
    return needs(missing, `missing ${missing.join(", ")} for ${top.id}`, group);
  }
  return { kind: "plan", plan: planFromCard(chosen, slotsFor(chosen, slots, name), "goal-parser") };
}
