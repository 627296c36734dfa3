import type { Card, CardSet } from "../cards/index.js";
import type { Retriever } from "../retrieval/index.js";
import type { CardMismatch } from "./select.js";
import { chooseCard } from "./select.js";
import { fieldPath, renderPlan } from "./template.js";
import type { Slots } from "./template.js";
import type { FieldIssue, Planning, PlanRequest, StageClock } from "./types.js";

const HITS = 8;

export interface StructuredPlannerDeps {
  readonly cards: CardSet;
  readonly retriever: Retriever;
  readonly binaries: ReadonlySet<string>;
}

/** intent + resource (+ name, namespace, selector, params) → the card that fits, rendered. */
export function createStructuredPlanner(deps: StructuredPlannerDeps) {
  const byIntentResource = new Map<string, Card[]>();
  for (const card of deps.cards.cards) {
    const key = `${card.intent}/${card.resource}`;
    byIntentResource.set(key, [...(byIntentResource.get(key) ?? []), card]);
  }
  return {
    plan(request: PlanRequest & Slots, clock: StageClock): Planning {
      const query = [request.intent, request.resource, request.goal ?? ""].join(" ");
      const hits = clock.time("retrieveMs", () =>
        deps.retriever.searchLexical(query, { intent: request.intent, resource: request.resource, k: HITS }),
      );
      return clock.time("planMs", (): Planning => {
        const ranked = [...new Set([...hits.map((h) => h.card), ...(byIntentResource.get(`${request.intent}/${request.resource}`) ?? [])])];
        const choice = chooseCard(ranked, request, deps.binaries);
        if (!choice.ok) return { kind: "unsupported", issues: noCardIssues(request, choice.mismatches, byIntentResource) };
        const rendering = renderPlan(choice.card, choice.slots);
        if (rendering.kind === "invalid") return { kind: "unsupported", issues: rendering.issues };
        return rendering;
      });
    },
  };
}

function noCardIssues(request: Slots, mismatches: readonly CardMismatch[], byIntentResource: ReadonlyMap<string, Card[]>): FieldIssue[] {
  if (mismatches.length === 0) {
    const available = [...byIntentResource.keys()].filter((k) => k.endsWith(`/${request.resource}`)).map((k) => k.split("/")[0]);
    return [{ path: "intent", message: `no card does "${request.intent}" on ${request.resource}; intents for ${request.resource}: ${available.join(", ") || "none"}` }];
  }
  const issues: FieldIssue[] = [];
  for (const m of mismatches) {
    for (const name of m.missing) issues.push({ path: fieldPath(name), message: `is required (card ${m.cardId})` });
    for (const name of m.unsupported) issues.push({ path: fieldPath(name), message: `is not used by card ${m.cardId}` });
    if (!m.binaryAvailable) issues.push({ path: "", message: `card ${m.cardId} needs ${m.binary}, which is not installed` });
  }
  return issues;
}
