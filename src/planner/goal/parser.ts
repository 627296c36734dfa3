import type { Card } from "../../cards/index.js";
import { CardRenderError } from "../../cards/render.js";
import type { Intent, Resource } from "../../cards/vocabulary.js";
import { RESOURCES } from "../../cards/vocabulary.js";
import { FLUX_NAMESPACE, MUTATING_INTENTS, isDns1123Label, isDns1123Subdomain, kindOf, unquoteTokens } from "../../kube/index.js";
import type { InventoryObject, InventorySnapshot } from "../../kube/index.js";
import { canonicalTerms } from "../../retrieval/index.js";
import type { RetrievalHit } from "../../retrieval/index.js";
import { cardBinary } from "../select.js";
import { planFromCard, slotValues } from "../template.js";
import type { Slots } from "../template.js";
import type { Plan } from "../types.js";
import { buildAsk } from "./ask.js";
import type { GoalAsk } from "./ask.js";
import { normaliseGoal } from "./normalize.js";
import { resolveAgainstInventory } from "./resolve.js";
import type { Resolution } from "./resolve.js";
import { outOfScope } from "./scope.js";
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

/** Plain words that also show the intent, for phrasings the retrieval vocabulary treats as stopwords. */
const INTENT_WORDS: Partial<Readonly<Record<Intent, RegExp>>> = {
  status: /\b(done|finished|complete[d]?|rolled out|progress(ing)?|wait for)\b/i,
  list: /\b(list|show all|all|which|what|whats running|running in)\b|^(show|get|display|see|print)\b|^(pods|namespaces|nodes|kustomizations|deployments|events)\b/i,
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
function symptomFits(card: Card, terms: ReadonlySet<string>): boolean {
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

function hasEvidence(intent: Intent, terms: ReadonlySet<string>, goal: string): boolean {
  return INTENT_EVIDENCE[intent].some((t) => terms.has(t)) || (INTENT_WORDS[intent]?.test(goal) ?? false);
}

export interface GoalCandidate {
  readonly card: Card;
  readonly missing: readonly string[];
}

/** Structured fields sent along with a goal (CLI flags, MCP/HTTP fields): they fill what the text leaves out. */
export interface GoalFields {
  readonly namespace?: string;
  readonly resource?: string;
  readonly name?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
}

export interface ParseGoalOptions {
  /** The target cluster's inventory; without it the goal is read from its text alone. */
  readonly inventory?: InventorySnapshot;
  readonly fields?: GoalFields;
  /** Clock for generated values (the job re-run suffix). */
  readonly now?: () => Date;
}

/** A value the pipeline must read from the cluster before the plan can be made ("scale by 50%" needs the current count). */
export interface GoalLookup {
  readonly field: "replicas";
  readonly resource: string;
  readonly namespace: string;
  readonly name: string;
  readonly change: { readonly op: "add" | "multiply"; readonly amount: number };
}

/** How sure the parser is that the catalog covers the goal: a plan with explicit intent evidence is "high". */
export type GoalConfidence = "high" | "low" | "none";

export type GoalParse =
  | {
      readonly kind: "plan";
      readonly plan: Plan;
      /** Rewrites of the goal's wording and values taken from the cluster or defaults, for the reply. */
      readonly notes?: readonly string[];
      /** The current replica count a relative scale was computed from. */
      readonly basis?: { readonly replicas: number };
      readonly confidence?: GoalConfidence;
    }
  | {
      readonly kind: "needs_input";
      readonly candidates: readonly GoalCandidate[];
      readonly missing: readonly string[];
      readonly reason: string;
      /** What to send back, machine-readable. */
      readonly ask?: GoalAsk;
      /** Set when the goal asks for something outside the catalog; `closest` names card ids rag-k8s can plan. */
      readonly unsupported?: { readonly what: string; readonly closest: readonly string[] };
      /** A value to read from the cluster and parse again with (needs_lookup). */
      readonly lookup?: GoalLookup;
      /** A name or namespace was not in the inventory: refresh it once and parse again before asking. */
      readonly inventoryMiss?: boolean;
      /** True when no inventory was given, so names and kinds were read from the text alone. */
      readonly textOnly?: boolean;
      readonly notes?: readonly string[];
      readonly confidence?: GoalConfidence;
    };
type NeedsInput = Extract<GoalParse, { kind: "needs_input" }>;

function requiredMissing(card: Card, slots: Slots): string[] {
  const given = new Set(Object.keys(slotValues(slots)));
  return card.parameters
    .filter((p) => p.required && p.default === undefined && p.name !== "now" && !given.has(p.name) && !(p.name in card.resolve))
    .map((p) => p.name);
}

/** Goal words map to the parameter a card actually declares ("revision 3" is `to_revision` for rollout undo). */
const PARAM_ALIASES: Readonly<Record<string, readonly string[]>> = { revision: ["revision", "to_revision"], event_type: ["type"] };

function declaredName(card: Card, param: string): string | undefined {
  const declared = new Set(card.parameters.map((p) => p.name));
  return (PARAM_ALIASES[param] ?? [param]).find((name) => declared.has(name));
}

function templateText(card: Card): string {
  return typeof card.command_template === "string" ? card.command_template : card.command_template.join("\n");
}

/**
 * Parameters and qualifiers the goal states that the card cannot express ("rollback to revision 3" on a card
 * without a revision, "most memory" on a card without a sort): planning would silently drop them, so such a card
 * does not fit. A flag the template always sets (`--previous` on the crash-loop diagnosis, `-o wide`) is no conflict.
 */
function unsupported(card: Card, slots: GoalSlots): string[] {
  const text = templateText(card);
  return Object.entries(slots.params)
    .filter(([param, value]) => {
      if (declaredName(card, param)) return false;
      if (param === "output") return !text.includes(`-o ${String(value)}`) && !text.includes(`-o=${String(value)}`);
      return !text.includes(`--${param}`);
    })
    .map(([param]) => param);
}

interface Defaults {
  readonly suffix: string;
  readonly selector?: string;
}

/** The slots a card can take from what the goal said, plus the defaults the real tools have. */
function slotsFor(card: Card, slots: GoalSlots, name: string | undefined, defaults: Defaults): Slots {
  const params: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(slots.params)) {
    const target = declaredName(card, key);
    if (target) params[target] = value;
  }
  if (declaredName(card, "suffix") && params["suffix"] === undefined) params["suffix"] = defaults.suffix;
  const namespace = slots.namespace ?? (card.resource === "kustomization" ? FLUX_NAMESPACE : undefined);
  const selector = slots.selector ?? (card.intent === "diagnose" && card.resource !== "pod" ? defaults.selector : undefined);
  return {
    intent: card.intent,
    resource: card.resource,
    namespace: declaredName(card, "namespace") ? namespace : undefined,
    name: declaredName(card, "name") ? name : undefined,
    selector: declaredName(card, "selector") ? selector : undefined,
    params,
  };
}

/** A short, unique-enough suffix for a job re-run name (1–4 lowercase letters or digits, as the card requires). */
function rerunSuffix(now: Date): string {
  return (Math.floor(now.getTime() / 1000) % 36 ** 4).toString(36).padStart(4, "0");
}

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
  const text = normalised.text;
  const notes = [...normalised.notes];
  const lower = text.toLowerCase();
  const slots = extractSlots(text);
  // `kubectl logs NAME` reads a pod, as kubectl itself does.
  const kubectlLogs = /^\s*(?:kubectl|k)\s+logs\s/i.test(goal);
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
  const scope = outOfScope(lower);
  if (scope) {
    const closest = scope.closest.join(", ");
    return needs(["intent"], `rag-k8s does not plan ${scope.what}${closest ? `; the closest operations it has: ${closest}` : ""}`, [], {
      unsupported: scope,
      confidence: "none",
      ask: { field: "intent", candidates: scope.closest, example: {} },
    });
  }
  // "don't restart web", "restart web in prod? no wait, staging": the final request is not the text.
  if (/^(?:dont|do not|never|no need to)\b/.test(lower) || /\b(?:no wait|actually|i mean|scratch that|sorry)\b/.test(lower)) {
    return needs([], "the goal negates or corrects itself; send only the operation you want");
  }
  const option = requestOption(lower);
  if (option) return needs([], option);
  if (/["'`]/.test(text)) return needs([], "quoted text with spaces is not a Kubernetes name; write the name without quotes");
  if (fieldProblem) return needs([fieldProblem.field], fieldProblem.message);
  if (slots.rejected.length) return needs([], `not valid here: ${slots.rejected.join(", ")} (names are lowercase DNS-1123; only -n, -l, -c and a few log/scale flags are understood)`);
  if (slots.unclear.length) return needs([], `unclear: ${slots.unclear.join(", ")}; state each value once, e.g. "to 3 replicas", "timeout 10m", "in staging"`);

  // A namespace's or an object's name is not evidence of intent: "in logging" does not ask for logs.
  const spoken = [slots.namespace, ...slots.names.filter((n) => /[-\d.]/.test(n))].filter((w): w is string => w !== undefined);
  const said = spoken.reduce((acc, word) => acc.replace(new RegExp(`(?<![\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\w-])`, "g"), " "), text);
  const terms = canonicalTerms(said);
  const actions = MUTATING_INTENTS.filter((intent) => INTENT_EVIDENCE[intent].some((t) => terms.has(t)));
  if (actions.length > 1) return needs(["intent"], `the goal asks for several operations (${actions.join(", ")}); ask for one at a time`);

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

  let name = slots.anchoredNames.length === 1 ? slots.anchoredNames[0] : slots.names.length === 1 ? slots.names[0] : undefined;
  let object: InventoryObject | undefined;
  if (inventory) {
    const intent = top.intent;
    const resources = new Set<string>(usable.filter((card) => card.intent === intent).map((card) => card.resource));
    const candidatesNames = name !== undefined ? [name] : slots.names;
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
  if (fitting.length === 0 && diagnosis === undefined) {
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

/**
 * Things that look like words of a goal but are options of the request or of the target, never of the command:
 * planning without them would run something else than was asked (for real instead of a dry run, on the
 * configured cluster instead of another context, without an unstated condition).
 */
function requestOption(lower: string): string | undefined {
  if (/\bdry[\s-]?run\b/.test(lower)) return "a dry run is an option of the request, not of the goal: send constraints.dryRun=true (CLI --dry-run)";
  if (/\bconfirm(ed)?\b/.test(lower)) return "confirmation is an option of the request: send constraints.confirm=true (CLI --confirm)";
  if (/\b(context|kubeconfig|kube-context)\b|\b(on|in|against)\s+(the\s+)?(?!the\b|this\b|my\b|our\b|whole\b|entire\b|k8s\b|kubernetes\b)\S+\s+cluster\b/.test(lower)) {
    return "rag-k8s acts on its configured target; choose another cluster or context in its configuration, not in the goal";
  }
  if (/\bas\s+(?:the\s+)?(?:admin|root|cluster-admin|superuser|system:\S+|user\s+\S+|serviceaccount\s+\S+)\b|\bimpersonat/.test(lower)) {
    return "rag-k8s does not impersonate other users";
  }
  if (/\b(if|unless|only if|in case)\b/.test(lower)) return "the goal states a condition rag-k8s cannot check; check it first (e.g. ask for the status), then send the operation";
  return undefined;
}

/** "by 50%" rounds up, so growing never leaves the count unchanged. */
export function applyChange(current: number, change: { readonly op: "add" | "multiply"; readonly amount: number }): number {
  return change.op === "add" ? Math.max(0, current + change.amount) : Math.max(0, Math.ceil(current * change.amount - 1e-9));
}

function describeParam(param: string): string {
  const words: Record<string, string> = {
    all_namespaces: "all namespaces",
    follow: "following/streaming",
    wait: "waiting afterwards (ask for the rollout status next)",
    phase_not: "a negated phase filter",
    timestamps: "timestamps",
    all_containers: "all containers",
    with_source: "fetching the source first (the flux CLI card can)",
    health_filter: "a health filter",
    grace_period: "a grace period",
    sort_ascending: "sorting lowest first",
    sort_by: "sorting",
    output: "an output format",
  };
  return words[param] ?? param;
}

function applyFields(slots: GoalSlots, fields: GoalFields | undefined): { field: string; message: string } | undefined {
  if (!fields) return undefined;
  if (fields.namespace !== undefined) {
    if (!isDns1123Label(fields.namespace)) return { field: "namespace", message: `namespace "${fields.namespace}" is not a valid namespace name` };
    if (slots.namespace !== undefined && slots.namespace !== fields.namespace) {
      return { field: "namespace", message: `the goal says namespace ${slots.namespace} but the request field says ${fields.namespace}` };
    }
    slots.namespace = fields.namespace;
  }
  if (fields.name !== undefined) {
    if (!isDns1123Subdomain(fields.name)) return { field: "name", message: `name "${fields.name}" is not a valid object name` };
    const named = slots.anchoredNames[0] ?? (slots.names.length === 1 ? slots.names[0] : undefined);
    if (named !== undefined && named !== fields.name) return { field: "name", message: `the goal names ${named} but the request field says ${fields.name}` };
    slots.names = [fields.name];
    slots.anchoredNames = [fields.name];
    if (fields.resource) slots.anchorKinds[fields.name] = kindOf(fields.resource) ?? fields.resource;
  }
  for (const [key, value] of Object.entries(fields.params ?? {})) slots.params[key] = value;
  return undefined;
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
