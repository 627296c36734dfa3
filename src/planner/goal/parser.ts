import type { Card } from "../../cards/index.js";
import { CardRenderError } from "../../cards/render.js";
import { REDACTED, redactTyped } from "../../executor/index.js";
import type { Intent, Resource } from "../../cards/vocabulary.js";
import { RESOURCES } from "../../cards/vocabulary.js";
import { FLUX_NAMESPACE, MUTATING_INTENTS, kindOf, unquoteTokens } from "../../kube/index.js";
import type { InventoryObject, InventorySnapshot } from "../../kube/index.js";
import { canonicalTerms } from "../../retrieval/index.js";
import type { RetrievalHit } from "../../retrieval/index.js";
import { cardBinary } from "../select.js";
import { planFromCard } from "../template.js";
import type { Plan } from "../types.js";
import { buildAsk } from "./ask.js";
import { dropRemarks, splitWait } from "./clauses.js";
import { declaredName, describeParam, requiredMissing, rerunSuffix, slotsFor, unsupported } from "./card-fit.js";
import type { Defaults } from "./card-fit.js";
import { INTENT_EVIDENCE, hasEvidence, symptomFits } from "./evidence.js";
import { applyFields, requestOption } from "./fields.js";
import { normaliseGoal } from "./normalize.js";
import { resolveAgainstInventory } from "./resolve.js";
import type { Resolution } from "./resolve.js";
import { outOfScope } from "./scope.js";
import { extractSlots } from "./slots.js";
import type { GoalSlots } from "./slots.js";
import type { GoalParse, NeedsInput, ParseGoalOptions } from "./types.js";

export type { GoalCandidate, GoalConfidence, GoalFields, GoalLookup, GoalParse, ParseGoalOptions } from "./types.js";

const SHELL_SYNTAX = /[;&|<>`$\\\n\r]/;

/**
 * Plans a goal without a model when exactly one card fits and every required slot is known, from the text, the
 * structured fields or the cluster's inventory; otherwise says what is missing and how to answer. It never
 * guesses: an ambiguous kind, name or intent is a question back, and a qualifier a card cannot honour is too.
 */
export function parseGoal(goal: string, hits: readonly RetrievalHit[], binaries: ReadonlySet<string>, options: ParseGoalOptions = {}): GoalParse {
  const { inventory, fields } = options;
  const usable = hits.map((h) => h.card).filter((card) => binaries.has(cardBinary(card)));
  const normalised = normaliseGoal(goal);
  const request = dropRemarks(normalised.text);
  const notes = [...normalised.notes, ...request.remarks.map((r) => `"${r}" read as a remark, not part of the request`)];
  const waited = SHELL_SYNTAX.test(unquoteTokens(goal)) ? undefined : splitWait(request.text);
  if (waited) {
    const first = parseGoal(waited.text, hits, binaries, options);
    // "rollout status of web, wait 3 minutes": the wait is the status's own timeout, read from the whole goal below.
    if (first.kind !== "plan" || first.plan.intent !== "status") {
      const catalog = options.cards?.filter((card) => binaries.has(cardBinary(card))) ?? usable;
      return thenWait(first, waited, catalog, notes);
    }
  }
  const text = request.text;
  // Refusals and self-corrections read the whole goal, remarks included.
  const wholeLower = normalised.text.toLowerCase();
  const lower = text.toLowerCase();
  const slots = extractSlots(text);
  // `kubectl logs NAME` reads a pod, as kubectl itself does.
  const kubectlLogs = /^\s*(?:kubectl|k)\s+(?:(?:-n|--namespace)[=\s]\S+\s+)?logs\s/i.test(goal);
  if (kubectlLogs && slots.names.length === 1 && slots.anchoredNames.length === 0 && slots.names[0] !== undefined) {
    slots.anchoredNames.push(slots.names[0]);
    slots.anchorKinds[slots.names[0]] = "pod";
  }
  const fieldProblem = applyFields(slots, fields);
  const defaults = { suffix: rerunSuffix(options.now?.() ?? new Date()) };
  const context: AskContext = { slots, usable, inventory, notes, defaults };
  const needs = (missing: string[], reason: string, candidates: readonly Card[] = usable.slice(0, 4), extra: Partial<NeedsInput> = {}): GoalParse =>
    needsInput(context, missing, reason, candidates, extra);

  if (SHELL_SYNTAX.test(unquoteTokens(goal))) return needs([], "the goal contains shell syntax; describe the outcome in words instead", [], { confidence: "none" });
  const scope = outOfScope(wholeLower);
  if (scope) {
    const closest = scope.closest.join(", ");
    return needs(["intent"], `rag-k8s does not plan ${scope.what}${closest ? `; the closest operations it has: ${closest}` : ""}`, [], {
      unsupported: scope,
      confidence: "none",
      ask: { field: "intent", candidates: scope.closest, example: {} },
    });
  }
  // "don't restart web", "restart web in prod? no wait, staging": the final request is not the text.
  if (/^(?:dont|do not|never|no need to)\b/.test(wholeLower) || /\b(?:no wait|i mean|scratch that|sorry)\b|(?:^|,\s*)actually\b/.test(wholeLower)) {
    return needs([], "the goal negates or corrects itself; send only the operation you want");
  }
  const option = requestOption(lower);
  if (option) return needs([], option);
  if (/["'`]/.test(text)) return needs([], "quoted text with spaces is not a Kubernetes name; write the name without quotes");
  if (fieldProblem) return needs([fieldProblem.field], fieldProblem.message);
  // Words echoed back are masked where the goal's own redaction masks them ("db password is hunter2").
  const masked = redactTyped(text);
  const echo = (words: readonly string[]): string => words.map((w) => (masked.includes(w) ? w : REDACTED)).join(", ");
  if (slots.rejected.length) return needs([], `not valid here: ${echo(slots.rejected)} (names are lowercase DNS-1123; only -n, -l, -c and a few log/scale flags are understood)`);
  if (slots.unclear.length) return needs([], `unclear: ${echo(slots.unclear)}; state each value once, e.g. "to 3 replicas", "timeout 10m", "in staging"`);

  // A namespace's or an object's name is not evidence of intent: "in logging" does not ask for logs.
  const spoken = [slots.namespace, slots.selector, ...slots.names.filter((n) => /[-\d.]/.test(n))].filter((w): w is string => w !== undefined);
  const said = spoken.reduce((acc, word) => acc.replace(new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), " "), text);
  // The drain card's own flags ("--ignore-daemonsets") do not make daemonsets the subject.
  const terms = canonicalTerms(said.replace(/--(?:ignore-daemonsets|delete-emptydir-data)\b/g, " "));
  const actions = MUTATING_INTENTS.filter((intent) => INTENT_EVIDENCE[intent].some((t) => terms.has(t)));
  if (actions.length > 1) return needs(["intent"], `the goal asks for several operations (${actions.join(", ")}); ask for one at a time`);
  // "restart web then check its status", "… and tell me when done": a change followed by a second step.
  if (actions.length === 1 && /\b(then|afterwards|after that|and (?:its|their|check|show|tell|wait|watch|notify|verify|confirm|see|report|describe|get|list))\b/.test(lower)) {
    return needs(["intent"], `the goal asks for ${actions[0]} and a further step; ask for one operation at a time`);
  }

  // "in namespace prod" names a namespace; it does not make namespaces the subject.
  const stated = new Set<string>([
    ...RESOURCES.filter((r) => (terms.has(r) || (r === "job" && terms.has("cronjob"))) && !(r === "namespace" && slots.namespace !== undefined)),
    ...Object.values(slots.anchorKinds).map((k) => (k === "cronjob" ? "job" : k)),
    ...(fields?.resource ? [kindOf(fields.resource) ?? fields.resource] : []),
  ]);
  let named = [...stated].filter((r): r is Resource => (RESOURCES as readonly string[]).includes(r));
  // "events about deployment web": the events are the intent and the deployment the subject, when a card
  // shows a deployment's events; otherwise ("events for pod x") the event cards filter by the object's name.
  const subject = named.length === 2 && named.includes("event") ? named.find((r) => r !== "event") : undefined;
  let mentioned: Resource[] = subject !== undefined && usable.some((card) => card.intent === "events" && card.resource === subject) ? [subject] : named;
  const relevantTo = (kinds: readonly Resource[]) => usable.filter((card) => kinds.length === 0 || kinds.includes(card.resource));
  // "stuck" asks for a diagnosis even when the goal also says "rolling out".
  const diagnosis = terms.has("stuck") ? relevantTo(mentioned).find((card) => card.intent === "diagnose" && symptomFits(card, terms)) : undefined;
  let top = diagnosis ?? relevantTo(mentioned).find((card) => hasEvidence(card.intent, terms, said)) ?? relevantTo(mentioned)[0];
  if (!top) return needs(["intent", "resource"], "no card matches this goal", usable.slice(0, 4), { confidence: "none" });
  if (terms.has("stuck") && top.intent !== "diagnose" && actions.length === 0) {
    return needs(["intent"], "the goal says something is stuck, and no diagnosis card matched it; ask for the rollout status or a describe instead", usable.slice(0, 4));
  }
  if (!hasEvidence(top.intent, terms, said)) {
    return needs(["intent"], `the goal does not say what to do (closest: ${top.intent} ${top.resource})`, usable.slice(0, 4), { confidence: "low" });
  }

  // Another name-like word beside the one next to a kind ("deployment web plus redis") is a second object or a
  // qualifier no card takes; either way planning would drop it, so it is a question unless the cluster settles it.
  let name = slots.names.length === 1 ? slots.names[0] : undefined;
  let object: InventoryObject | undefined;
  if (inventory) {
    const intent = top.intent;
    const resources = new Set<string>(usable.filter((card) => card.intent === intent).map((card) => card.resource));
    const candidatesNames = name !== undefined ? [name] : slots.anchoredNames.length === 1 ? slots.anchoredNames : slots.names;
    const takesName = usable.some((card) => card.intent === intent && declaredName(card, "name"));
    if (takesName && candidatesNames.length > 0) {
      const resolution = resolveAgainstInventory(inventory, {
        names: candidatesNames,
        ...(named.length === 1 && named[0] !== "event" ? { resource: named[0] } : {}),
        ...(slots.namespace !== undefined ? { namespace: slots.namespace } : {}),
        resources,
      });
      const answered = applyResolution(resolution, slots, notes);
      if (answered.kind === "question") return needs([answered.field], answered.message, usable.filter((c) => c.intent === intent), answered.extra);
      if (answered.kind === "resolved") {
        name = answered.name;
        object = answered.object;
        if (!named.includes(answered.resource as Resource)) {
          named = [answered.resource as Resource];
          mentioned = named;
        }
        top = relevantTo(mentioned).find((card) => card.intent === intent) ?? top;
      }
    } else if (slots.namespace !== undefined && !inventory.namespaces.has(slots.namespace)) {
      const resolution = resolveAgainstInventory(inventory, { names: [], namespace: slots.namespace, resources });
      const answered = applyResolution(resolution, slots, notes);
      if (answered.kind === "question") return needs([answered.field], answered.message, usable.slice(0, 4), answered.extra);
    }
  }
  const withDefaults: Defaults = { ...defaults, ...(object?.selector !== undefined ? { selector: object.selector } : {}) };
  context.defaults = withDefaults;

  const groupOf = (intent: Intent) => usable.filter((card) => card.intent === intent && (mentioned.length === 0 || mentioned.includes(card.resource)));
  // A relative change ("by 50%") stands for the replica count until it is computed below.
  const stillMissing = (card: Card) => requiredMissing(card, slotsFor(card, slots, name, withDefaults)).filter((p) => !(p === "replicas" && slots.relative));
  const fits = (card: Card) => symptomFits(card, terms) && stillMissing(card).length === 0 && unsupported(card, slots).length === 0;
  const group = groupOf(top.intent);
  if (name === undefined && slots.names.length > 1 && group.some((card) => declaredName(card, "name"))) {
    return needs(["name"], `several possible object names: ${slots.names.join(", ")}`, group);
  }
  let fitting = group.filter(fits);
  // A change that was asked for is never swapped for another operation that happens to fit.
  if (fitting.length === 0 && diagnosis === undefined && actions.length === 0) {
    // "which pods are failed": the first intent with evidence (diagnose) cannot be filled, but listing can.
    // Only a single other intent that fits completely is taken; two would be a guess.
    const others = [...new Set(relevantTo(mentioned).filter((card) => card.intent !== top?.intent && hasEvidence(card.intent, terms, said)).map((c) => c.intent))]
      .map((intent) => groupOf(intent).filter(fits))
      .filter((cards) => cards.length > 0);
    if (others.length === 1 && others[0]) fitting = others[0];
  }
  const kinds = new Set<Resource>(fitting.map((card) => card.resource));
  if (kinds.size > 1) {
    const why = inventory ? "" : " (no cluster inventory was available, so the kind could not be looked up)";
    return needs(["resource"], `which kind of object is it: ${[...kinds].join(" or ")}?${why}`, fitting);
  }
  const chosen = fitting[0];
  if (!chosen) {
    const missing = requiredMissing(top, slotsFor(top, slots, name, withDefaults));
    const extra = unsupported(top, slots);
    if (missing.length === 0 && extra.length > 0) {
      return needs([], `${top.id} cannot take ${extra.map(describeParam).join(", ")}; rephrase or give intent/resource explicitly`, group);
    }
    return needs(missing, `missing ${missing.join(", ")} for ${top.id}`, group);
  }
  // A name the goal states that the card cannot take ("memory usage of pod x" on a namespace-wide top) would be dropped.
  if (!declaredName(chosen, "name") && slots.names.length > 0) {
    return needs([], `${chosen.id} cannot be limited to ${slots.names.join(", ")}; rephrase without the name or ask for another operation`, [chosen]);
  }
  if (slots.quantified && declaredName(chosen, "name") && slots.anchoredNames.length === 0 && !(inventory && object)) {
    return needs(["name"], "the goal speaks about several objects; rag-k8s plans one object at a time", [chosen]);
  }

  let chosenSlots = slotsFor(chosen, slots, name, withDefaults);
  let basis: { replicas: number } | undefined;
  if (slots.relative) {
    if (chosen.intent !== "scale" || name === undefined || chosenSlots.namespace === undefined) {
      return needs(["replicas"], `"${slots.relative.text}" needs a target count; say e.g. "to 4 replicas"`, [chosen]);
    }
    if (object?.replicas === undefined) {
      return needs(["replicas"], `"${slots.relative.text}" is relative to the current replica count, which has to be read from the cluster first`, [chosen], {
        lookup: { field: "replicas", resource: chosen.resource, namespace: chosenSlots.namespace, name, change: { op: slots.relative.op, amount: slots.relative.amount } },
      });
    }
    const target = applyChange(object.replicas, slots.relative);
    basis = { replicas: object.replicas };
    chosenSlots = { ...chosenSlots, params: { ...chosenSlots.params, replicas: target } };
    notes.push(`${object.replicas} replicas now, ${slots.relative.text} → ${target}`);
  }
  if (chosenSlots.namespace !== undefined && slots.namespace === undefined && chosen.resource === "kustomization") notes.push(`namespace ${FLUX_NAMESPACE} (Flux's default)`);
  let plan: Plan;
  try {
    plan = planFromCard(chosen, chosenSlots, "goal-parser");
  } catch (error) {
    // A value outside the card's bounds ("99999 replicas") is a question back; a needed lookup stays an exception for the pipeline.
    if (!(error instanceof CardRenderError)) throw error;
    return needs([...error.missing, ...error.invalid.map((i) => i.name)], error.message, [chosen]);
  }
  return { kind: "plan", plan, confidence: "high", ...(notes.length ? { notes } : {}), ...(basis ? { basis } : {}) };
}

const WAITABLE_INTENTS: ReadonlySet<string> = new Set(["restart", "scale", "undo"]);

/**
 * "restart web in prod and wait for it": the change, then the same object's rollout status as a second step (the
 * gate runs steps in order and stops after a failed change). Only a workload change has a rollout to wait for.
 */
function thenWait(first: GoalParse, waited: { readonly text: string; readonly timeout?: string }, catalog: readonly Card[], notes: readonly string[]): GoalParse {
  const { timeout } = waited;
  const withNotes = (parse: GoalParse): GoalParse => {
    const all = [...notes, ...(parse.notes ?? [])];
    return all.length > 0 ? { ...parse, notes: all } : parse;
  };
  if (first.kind !== "plan") return withNotes(first);
  const { plan } = first;
  const status = catalog.find((card) => card.intent === "status" && card.resource === plan.resource);
  if (!plan.intent || !WAITABLE_INTENTS.has(plan.intent) || !status || plan.target === null || plan.namespace === null || plan.resource === null) {
    return withNotes({
      kind: "needs_input",
      candidates: [],
      missing: ["goal"],
      reason: `only a restart, scale or rollback of a deployment, statefulset or daemonset has a rollout to wait for; send the goal without the wait to run ${JSON.stringify(plan.command)}`,
      ask: { field: "goal", candidates: [], example: { goal: waited.text } },
      confidence: "low",
    });
  }
  const second = planFromCard(status, { intent: "status", resource: plan.resource, namespace: plan.namespace, name: plan.target, params: timeout ? { timeout } : {} }, "goal-parser");
  return withNotes({
    ...first,
    plan: {
      ...plan,
      command: `${plan.command}\n${second.command}`,
      commands: [...plan.commands, ...second.commands],
      steps: [...plan.steps, ...second.steps],
      summary: `${plan.summary}; then ${second.summary}`,
    },
  });
}

/** "by 50%" rounds up, so growing never leaves the count unchanged. */
export function applyChange(current: number, change: { readonly op: "add" | "multiply"; readonly amount: number }): number {
  return change.op === "add" ? Math.max(0, current + change.amount) : Math.max(0, Math.ceil(current * change.amount - 1e-9));
}

type Answer =
  | { kind: "question"; field: string; message: string; extra: Partial<NeedsInput> }
  | { kind: "resolved"; name: string; resource: string; object?: InventoryObject }
  | { kind: "none" };

function applyResolution(resolution: Resolution, slots: GoalSlots, notes: string[]): Answer {
  switch (resolution.kind) {
    case "none":
      return { kind: "none" };
    case "unknown":
      return {
        kind: "question",
        field: resolution.field,
        message: resolution.message,
        extra: { inventoryMiss: true, ask: { field: resolution.field, candidates: resolution.suggestions, example: {} } },
      };
    case "ambiguous":
      return { kind: "question", field: resolution.field, message: resolution.message, extra: { ask: { field: resolution.field, candidates: resolution.options, example: {} } } };
    case "resolved":
      if (resolution.namespace !== undefined && slots.namespace === undefined) {
        slots.namespace = resolution.namespace;
        notes.push(`namespace ${resolution.namespace} from the cluster`);
      }
      return { kind: "resolved", name: resolution.name, resource: resolution.resource, ...(resolution.object ? { object: resolution.object } : {}) };
  }
}

interface AskContext {
  readonly slots: GoalSlots;
  readonly usable: readonly Card[];
  readonly inventory: InventorySnapshot | undefined;
  readonly notes: readonly string[];
  defaults: Defaults;
}

function needsInput(context: AskContext, missing: string[], reason: string, candidates: readonly Card[], extra: Partial<NeedsInput>): GoalParse {
  const { slots, inventory, notes } = context;
  const name = slots.anchoredNames[0] ?? slots.names[0];
  const described = candidates.map((card) => ({ card, missing: requiredMissing(card, slotsFor(card, slots, name, context.defaults)) }));
  const ask = buildAsk({ missing, candidates: described, slots, inventory, given: extra.ask, name });
  return {
    kind: "needs_input",
    candidates: described,
    missing,
    reason,
    ...extra,
    ask,
    ...(inventory ? {} : { textOnly: true }),
    ...(notes.length ? { notes } : {}),
    confidence: extra.confidence ?? (extra.unsupported ? "none" : "low"),
  };
}
