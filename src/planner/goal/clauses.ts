import { canonicalTerms } from "../../retrieval/index.js";
import { INTENT_EVIDENCE } from "./evidence.js";
import { extractSlots } from "./slots.js";

/**
 * Clause-level reading of a normalised goal (clauses are separated by " , ", which the normaliser also writes for
 * sentence ends): remarks about the situation that are not part of the request ("lb looks off", "disk is dying",
 * "last release broke cart"), and a trailing "and wait for it" that asks for a second, read-only step.
 */

const EVIDENCE_TERMS: ReadonlySet<string> = new Set(Object.values(INTENT_EVIDENCE).flat());
/**
 * A clause that states how things are ("lb looks off", "it failed last night"): a remark, as long as it holds
 * nothing the request could use. A verb is required: "the broken ones" is a qualifier, not a statement.
 */
const STATE_PREDICATE =
  /\b(?:is|are|was|were|looks?|seems?|keeps?|kept|acting|complain\w*|went|got|has been|have been|had been)\b|(?<!\b(?:that|which|who)\s)\b(?:failed|broke|died|crashed|stopped)\b/;
/** What a remark says about the state; no evidence of an intent there ("it failed" is no diagnosis request). */
const STATE_WORDS = /\b(?:is|are|was|were|looks?|seems?|keeps?|kept|acting|complain\w*|went|got|has been|have been|had been|failed|broke|died|stopped|broken|failing|dying|dead|down|slow|weird|off|bad)\b/g;
/** Words that join objects into a list ("redis too", "and api"): such a clause may name a second target. */
const LIST_MARKER = /\b(?:and|or|plus|too|also|both|as well|nor)\b|&/;
const TIME_SPAN_ONLY = /^a time span in days or by date/;

function hasRequestContent(clause: string, predicate = false): boolean {
  // In a remark, "it failed" states what happened: its predicate is no evidence of an intent ("failed" → diagnose).
  const words = predicate ? clause.toLowerCase().replace(STATE_WORDS, " ") : clause;
  if ([...canonicalTerms(words)].some((term) => EVIDENCE_TERMS.has(term))) return true;
  const slots = extractSlots(clause);
  return (
    slots.namespace !== undefined ||
    slots.selector !== undefined ||
    slots.relative !== undefined ||
    slots.quantified ||
    Object.keys(slots.params).length > 0 ||
    slots.rejected.length > 0 ||
    slots.anchoredNames.length > 0 ||
    slots.unclear.some((u) => !TIME_SPAN_ONLY.test(u)) ||
    slots.names.some((name) => /[-\d.]/.test(name))
  );
}

/**
 * The goal without clauses that only remark on the situation. A clause is dropped only when it states something
 * (a predicate such as "is", "looks", "broke"), holds no kind, intent, name with a digit or hyphen, namespace,
 * selector or value, and lists nothing; and only when the rest names one object ("list pods in prod, they are
 * failing" keeps its remark: about a set of objects, a state is a filter).
 */
export function dropRemarks(text: string): { readonly text: string; readonly remarks: readonly string[] } {
  // "… since we are over budget", "… because it broke": a reason is a clause of its own.
  const clauses = text.replace(/\s+(because|cause|since(?!\s+\d)|so that|as we|as it)\s+/gi, " , $1 ").split(/\s+,\s+/);
  if (clauses.length < 2) return { text, remarks: [] };
  const remark = clauses.map((clause) => {
    const lower = clause.toLowerCase();
    return STATE_PREDICATE.test(lower) && !LIST_MARKER.test(lower) && !hasRequestContent(clause, true);
  });
  const kept = clauses.filter((_, i) => !remark[i]);
  const rest = extractSlots(kept.join(" , "));
  const oneObject = rest.anchoredNames.length > 0 || rest.names.some((name) => /[-\d.]/.test(name));
  if (kept.length === clauses.length || !oneObject || !kept.some((clause) => hasRequestContent(clause))) return { text, remarks: [] };
  return { text: kept.join(" , "), remarks: clauses.filter((_, i) => remark[i]) };
}

/** What may follow "wait" when it only means "until the rollout is done". */
const WAIT_WORDS = new Set(
  "for until till til it its to the rollout roll rolling out finish finishes finished be is are done complete completed ready rolled them they all new pods healthy up come comes back whole thing".split(" "),
);
const WAIT_START = /(?:^|\s+,\s+|\s+)(?:and\s+)?(?:then\s+)?(?:wait|watch)\b(.*)$/i;
const TIMEOUT = /\b(?:up\s+to|max(?:imum)?|at\s+most|since|for)?\s*(\d{1,4}[smh])\b/i;

/**
 * "restart web in prod and wait for it", "…, then wait for the rollout (up to 5m)": the request without the wait,
 * and the wait's own timeout if it gave one. Anything else after "wait" (a second operation, a condition) leaves
 * the goal as it is, so the parser asks.
 */
export function splitWait(text: string): { readonly text: string; readonly timeout?: string } | undefined {
  const match = WAIT_START.exec(text);
  if (!match || match.index === 0) return undefined;
  let rest = match[1] ?? "";
  const timeout = TIMEOUT.exec(rest);
  if (timeout) rest = rest.replace(timeout[0], " ");
  const words = rest.toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (!words.every((word) => WAIT_WORDS.has(word))) return undefined;
  const request = text.slice(0, match.index).replace(/[\s,]+$/, "");
  return { text: request, ...(timeout?.[1] ? { timeout: timeout[1] } : {}) };
}
