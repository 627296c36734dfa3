import type { Card } from "../../cards/index.js";
import type { Intent } from "../../cards/vocabulary.js";
import { canonicalTerms } from "../../retrieval/index.js";

/** Canonical retrieval terms that show a goal really asks for an intent (not just shares words with a card). */
export const INTENT_EVIDENCE: Readonly<Record<Intent, readonly string[]>> = {
  restart: ["restart"],
  status: ["status"],
  history: ["history"],
  undo: ["undo"],
  scale: ["scale", "replica"],
  describe: ["describe"],
  logs: ["log", "previous", "follow"],
  diagnose: ["diagnose", "crashloop", "imagepull", "oom", "pending", "stuck"],
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

/** "list", "which …", "show …", a kind alone, or pods by phase ("pending pods in prod"). */
const LIST_WORDS =
  /\b(list|show all|all|which|what|whats running|running in)\b|^(show|get|display|see|print)\b|^(pods|namespaces|nodes|kustomizations|deployments|events)\b|^(pending|running|failed|succeeded|completed)\s+pods\b/i;

/** Plain words that also show the intent, for phrasings the retrieval vocabulary treats as stopwords. */
const INTENT_WORDS: Partial<Readonly<Record<Intent, RegExp>>> = {
  status: /\b(done|finished|complete[d]?|rolled out|progress(ing)?|wait for)\b|\bcheck\s+(?:the\s+|on\s+the\s+)?rollout\b/i,
  list: LIST_WORDS,
  get: LIST_WORDS,
  history: /\bshow\s+(rev|revision)\s*\d/i,
  view: /\b(show|get|print|display|see|contents?|read|whats in)\b/i,
  events: /\b(what happened|happening)\b/i,
  top: /\bhow busy\b|\b(load|busiest)\b/i,
  rerun: /\b(run|trigger|kick off)\b.*\bagain\b/i,
};

const SYMPTOMS = ["crashloop", "imagepull", "oom", "pending", "stuck"] as const;
const cardTermsCache = new WeakMap<Card, ReadonlySet<string>>();

/**
 * A diagnosis card fits only the symptom it investigates: "rollout is stuck" is not a crash loop. Goals that
 * name no symptom leave the choice to the other rules.
 */
export function symptomFits(card: Card, terms: ReadonlySet<string>): boolean {
  if (card.intent !== "diagnose") return true;
  const said = SYMPTOMS.filter((s) => terms.has(s));
  if (said.length === 0) return true;
  let cardTerms = cardTermsCache.get(card);
  if (cardTerms === undefined) {
    // The id names the symptom a diagnosis card is for (keywords and titles mention neighbouring symptoms too).
    const fromId = canonicalTerms(card.id.replace(/-/g, " "));
    cardTerms = SYMPTOMS.some((s) => fromId.has(s)) ? fromId : canonicalTerms(card.keywords.join(" "));
    cardTermsCache.set(card, cardTerms);
  }
  const known = cardTerms;
  return said.some((s) => known.has(s));
}

export function hasEvidence(intent: Intent, terms: ReadonlySet<string>, goal: string): boolean {
  return INTENT_EVIDENCE[intent].some((t) => terms.has(t)) || (INTENT_WORDS[intent]?.test(goal) ?? false);
}
