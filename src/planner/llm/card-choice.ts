import { z } from "zod";
import type { Card, CardParameter } from "../../cards/index.js";
import { checkValue } from "../../cards/values.js";
import { MUTATING_INTENTS, VERB_SYNONYMS } from "../../kube/index.js";
import type { InventoryKind, InventorySnapshot } from "../../kube/index.js";
import { normaliseGoal } from "../goal/index.js";
import type { JsonSchema } from "./types.js";

/**
 * The card path of the model planner: the model chooses a card id and, for that card only, a value for each of
 * its parameters from a finite list of candidates (names that exist in the cluster, words of the goal, the
 * card's own enums), each already accepted by the card's validators. The answer is then rendered through the
 * card template like any other plan, so a model can never write a command, only pick among valid values.
 */

/** What the deterministic goal parser made of the goal, even when it could not finish a plan. */
export interface ParserPartial {
  readonly namespace?: string | undefined;
  /** Object names the goal mentions (the parser's reading, filler words removed). */
  readonly names: readonly string[];
  readonly selector?: string | undefined;
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Card ids the parser considered, with what each still missed. */
  readonly cards: readonly { readonly id: string; readonly missing: readonly string[] }[];
}

export interface ChoiceContext {
  readonly goal: string;
  readonly partial: ParserPartial;
  /** The target's inventory, when a cluster answered: names are then chosen among those that exist. */
  readonly inventory?: InventorySnapshot | undefined;
}

/** One parameter the model fills: the values it may choose from (null: leave the optional parameter out). */
export interface ParamChoice {
  readonly name: string;
  readonly options: readonly (string | null)[];
}

/** A card the model may choose: every required parameter it must fill has at least one candidate. */
export interface CardChoice {
  readonly card: Card;
  /** Namespace first, then name (their candidates may depend on it), then the card's other parameters. */
  readonly params: (chosen: Readonly<Record<string, string>>) => readonly ParamChoice[];
}

/** The answer's card id when no card fits; the planner then asks for a free command (last resort). */
export const NO_CARD = "none";

/** Words a goal uses around names; never offered as a name or namespace when the parser found none. */
const FILLER = new Set(
  "a an the in on of for to from at by with and or is are be my our your its it this that these those please pls can could you me show get all any some what why how which when where".split(" "),
);
/** Kinds in the inventory, by the card resource whose names they are. */
const INVENTORY_KIND: Readonly<Partial<Record<string, InventoryKind>>> = {
  deployment: "deployment",
  statefulset: "statefulset",
  daemonset: "daemonset",
  service: "service",
  kustomization: "kustomization",
};

function goalWords(goal: string): string[] {
  return [...new Set(goal.toLowerCase().split(/[\s,;:?!"'`()[\]{}]+/).map((w) => w.replace(/\.+$/, "")).filter((w) => w !== "" && !FILLER.has(w)))];
}

const accepted = (param: CardParameter, values: readonly (string | number | boolean)[]): string[] =>
  [...new Set(values.map(String))].filter((v) => checkValue(param, v).ok);

/** Names of the card's resource that exist in `namespace` (or cluster-wide), or undefined when the inventory does not list that kind. */
function existingNames(card: Card, inventory: InventorySnapshot | undefined, namespace: string | undefined): string[] | undefined {
  if (!inventory) return undefined;
  if (card.resource === "node") return [...inventory.nodes].sort();
  if (card.resource === "namespace") return [...inventory.namespaces].sort();
  if (card.resource === "pod") return [...inventory.pods].filter((p) => namespace === undefined || p.startsWith(`${namespace}/`)).map((p) => p.slice(p.indexOf("/") + 1)).sort();
  const kind = INVENTORY_KIND[card.resource];
  if (kind === undefined) return undefined;
  return inventory.objects.filter((o) => o.kind === kind && (namespace === undefined || o.namespace === namespace)).map((o) => o.name).sort();
}

/** Namespaces holding at least one object of the card's resource, or undefined when the inventory does not list that kind by namespace. */
function namespacesHolding(card: Card, inventory: InventorySnapshot): ReadonlySet<string> | undefined {
  if (card.resource === "pod") return new Set([...inventory.pods].map((p) => p.slice(0, p.indexOf("/"))));
  const kind = INVENTORY_KIND[card.resource];
  return kind === undefined ? undefined : new Set(inventory.objects.filter((o) => o.kind === kind).map((o) => o.namespace));
}

/** Candidates for one parameter, before the card's validators filter them. */
function rawCandidates(card: Card, param: CardParameter, context: ChoiceContext, chosen: Readonly<Record<string, string>>): (string | number | boolean)[] {
  const { partial, inventory } = context;
  const said = param.name === "namespace" ? partial.namespace : param.name === "selector" ? partial.selector : partial.params[param.name];
  // The parser's own reading of a value wins (the model does not get to contradict it), unless the cluster
  // answered and has no such namespace.
  const known = param.type !== "namespace" || !inventory || inventory.namespaces.has(String(said));
  if (said !== undefined && known) return [said];
  const words = goalWords(context.goal);
  if (param.type === "namespace") {
    if (!inventory) return words;
    const namespaces = [...inventory.namespaces].sort();
    // A card that needs a name offers only the namespaces where such an object exists.
    const needsName = card.parameters.some((p) => p.name === "name" && p.required && !(p.name in card.resolve));
    const holding = needsName ? namespacesHolding(card, inventory) : undefined;
    return holding ? namespaces.filter((ns) => holding.has(ns)) : namespaces;
  }
  if (param.name === "name") {
    const existing = existingNames(card, inventory, chosen["namespace"]);
    if (existing === undefined) return partial.names.length > 0 ? [...partial.names] : words;
    const mentioned = existing.filter((n) => partial.names.includes(n) || words.includes(n));
    return mentioned.length > 0 ? mentioned : existing;
  }
  if (param.enum) return [...param.enum];
  switch (param.type) {
    case "boolean":
      return ["true"];
    case "integer":
      return words.filter((w) => /^\d{1,6}$/.test(w));
    case "selector":
      return words.filter((w) => w.includes("="));
    default:
      return words;
  }
}

function paramChoice(card: Card, param: CardParameter, context: ChoiceContext, chosen: Readonly<Record<string, string>>): ParamChoice | "unfillable" | null {
  const values = accepted(param, rawCandidates(card, param, context, chosen));
  if (param.required) return values.length > 0 ? { name: param.name, options: values } : "unfillable";
  return values.length > 0 ? { name: param.name, options: [...values, null] } : null;
}

/** The parameters the model fills for `card`, in the order it fills them; looked-up (`resolve`) ones are left to the cluster. */
function fillable(card: Card): CardParameter[] {
  const params = card.parameters.filter((p) => !(p.name in card.resolve));
  const rank = (p: CardParameter) => (p.name === "namespace" ? 0 : p.name === "name" ? 1 : 2);
  return [...params].sort((a, b) => rank(a) - rank(b));
}

function choiceFor(card: Card, context: ChoiceContext): CardChoice | null {
  const params = (chosen: Readonly<Record<string, string>>) => {
    const out: ParamChoice[] = [];
    for (const param of fillable(card)) {
      const choice = paramChoice(card, param, context, chosen);
      if (choice === "unfillable") return null;
      if (choice) out.push(choice);
    }
    return out;
  };
  // Offered only when every required parameter has a candidate for some namespace choice.
  const first = params({});
  if (first === null) return null;
  const namespace = first.find((p) => p.name === "namespace");
  const viable = namespace === undefined || namespace.options.some((ns) => ns !== null && params({ namespace: ns }) !== null);
  return viable ? { card, params: (chosen) => params(chosen) ?? [] } : null;
}

/**
 * The changes a goal asks for in so many words (its own verbs or their synonyms, typos corrected by the
 * goal normaliser). A model may only choose a card that changes the cluster when the goal asks for that change:
 * "why is web slow" must never become a restart.
 */
export function mutationsAsked(goal: string): ReadonlySet<string> {
  const text = ` ${`${goal} ${normaliseGoal(goal).text}`.toLowerCase().replace(/[^a-z0-9-]+/g, " ")} `;
  return new Set(MUTATING_INTENTS.filter((intent) => [intent, ...(VERB_SYNONYMS[intent] ?? [])].some((word) => text.includes(` ${word} `))));
}

/**
 * The cards the model may choose for this goal, best first: the retrieval order, then the parser's candidates,
 * then the rest of the catalog. A card whose required parameters cannot all be filled is not offered, nor one
 * that changes the cluster in a way the goal does not ask for.
 */
export function cardChoices(cards: readonly Card[], context: ChoiceContext, ranked: readonly string[] = []): CardChoice[] {
  const order = new Map<string, number>();
  for (const id of [...ranked, ...context.partial.cards.map((c) => c.id)]) if (!order.has(id)) order.set(id, order.size);
  const asked = mutationsAsked(context.goal);
  const allowed = cards.filter((card) => !(MUTATING_INTENTS as readonly string[]).includes(card.intent) || asked.has(card.intent));
  const sorted = allowed.sort((a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity));
  return sorted.map((card) => choiceFor(card, context)).filter((c): c is CardChoice => c !== null);
}

/** An answer: the card and the values chosen for its parameters (left-out optional ones absent). */
export interface CardAnswer {
  readonly cardId: string;
  readonly values: Readonly<Record<string, string>>;
}

/** One decision of the decoder: the text written before it, and the options (each a JSON value's text). */
export interface ChoiceStep {
  readonly key: string;
  readonly before: string;
  readonly options: readonly string[];
}

const KEY_SEPARATOR = ", ";
const optionText = (value: string | null) => (value === null ? "null" : JSON.stringify(value));

/**
 * The answer written as the model writes it: `{"card": "id", "namespace": "prod", "name": "web"}`, every
 * value a JSON string and null for an optional parameter left out. One format for prompts and decoding.
 */
export function formatAnswer(cardId: string, values: readonly (readonly [string, string | null])[]): string {
  return `{"card": ${JSON.stringify(cardId)}${values.map(([k, v]) => `${KEY_SEPARATOR}${JSON.stringify(k)}: ${optionText(v)}`).join("")}}`;
}

/**
 * The decoder's script: given the options chosen so far (their texts), the next step, or null when the answer
 * is complete. The first step chooses the card; the card's own parameters follow.
 */
export function answerSteps(choices: readonly CardChoice[]): (chosen: readonly string[]) => ChoiceStep | null {
  const byOption = new Map(choices.map((c) => [optionText(c.card.id), c]));
  return (chosen) => {
    if (chosen.length === 0) return { key: "card", before: '{"card": ', options: [...byOption.keys(), optionText(NO_CARD)] };
    const choice = byOption.get(chosen[0] ?? "");
    if (!choice) return null;
    const values: Record<string, string> = {};
    const params = [...choice.params({})];
    for (let i = 1; i < chosen.length; i++) {
      const param = params[i - 1];
      const value = JSON.parse(chosen[i] ?? "null") as string | null;
      if (param && value !== null) values[param.name] = value;
      // Later parameters may depend on the namespace just chosen.
      if (param?.name === "namespace") params.splice(0, params.length, ...choice.params(values));
    }
    const next = params[chosen.length - 1];
    return next ? { key: next.name, before: `${KEY_SEPARATOR}${JSON.stringify(next.name)}: `, options: next.options.map(optionText) } : null;
  };
}

/** The decoder's chosen option texts as an answer (null when the model chose no card). */
export function answerFromSteps(choices: readonly CardChoice[], chosen: readonly string[]): CardAnswer | null {
  const steps = answerSteps(choices);
  const values: Record<string, string> = {};
  const cardId = JSON.parse(chosen[0] ?? "null") as string | null;
  if (cardId === null || cardId === NO_CARD) return null;
  for (let i = 1; i < chosen.length; i++) {
    const step = steps(chosen.slice(0, i));
    const value = JSON.parse(chosen[i] ?? "null") as string | null;
    if (step && value !== null) values[step.key] = value;
  }
  return { cardId, values };
}

const enumOf = (options: readonly (string | null)[]) => ({ type: options.includes(null) ? ["string", "null"] : "string", enum: [...options] });

/**
 * The same choice as a JSON Schema, for servers that constrain output by schema (OpenAI-compatible ones):
 * `{"answer": …}` where the answer is one of a list of objects, one per card, with its id as a one-value enum
 * and only its own parameters, each an enum of its candidates. The root is an object and the alternatives an
 * anyOf because OpenAI's structured outputs accept nothing else; values are enumerated, so no `pattern` is
 * needed. A name list that depends on the namespace is the union over the namespaces (parseAnswer checks the pair).
 */
export function answerSchema(choices: readonly CardChoice[]): JsonSchema {
  const variants = choices.map((choice) => {
    const params = choice.params({});
    const namespaces = params.find((p) => p.name === "namespace")?.options.filter((o): o is string => o !== null) ?? [];
    const union = (name: string, options: readonly (string | null)[]) => {
      if (name !== "name" || namespaces.length === 0) return options;
      const all = new Set<string | null>();
      for (const ns of namespaces) for (const o of choice.params({ namespace: ns }).find((p) => p.name === name)?.options ?? []) all.add(o);
      return [...all];
    };
    const properties: Record<string, unknown> = { card: enumOf([choice.card.id]) };
    for (const p of params) properties[p.name] = enumOf(union(p.name, p.options));
    return { type: "object", properties, required: ["card", ...params.map((p) => p.name)], additionalProperties: false };
  });
  variants.push({ type: "object", properties: { card: enumOf([NO_CARD]) }, required: ["card"], additionalProperties: false });
  return { type: "object", properties: { answer: { anyOf: variants } }, required: ["answer"], additionalProperties: false };
}

/**
 * Reads an answer a server returned as JSON: the card must be one offered, every key one of its parameters,
 * every value one of that parameter's candidates. Anything else is refused with the reason, never rendered.
 */
export function parseAnswer(choices: readonly CardChoice[], value: unknown): { ok: true; answer: CardAnswer | null } | { ok: false; reason: string } {
  const shape = z.object({ answer: z.record(z.string(), z.string().nullable()) }).safeParse(value);
  if (!shape.success) return { ok: false, reason: 'the answer is not {"answer": {…}} with string values' };
  const { card: cardId, ...rest } = shape.data.answer;
  if (cardId === NO_CARD) return { ok: true, answer: null };
  const choice = choices.find((c) => c.card.id === cardId);
  if (!choice) return { ok: false, reason: `card ${JSON.stringify(cardId)} is not one offered` };
  const values: Record<string, string> = {};
  const namespace = rest["namespace"];
  if (typeof namespace === "string") values["namespace"] = namespace;
  const params = choice.params(values);
  for (const key of Object.keys(rest)) {
    if (!params.some((p) => p.name === key)) return { ok: false, reason: `card ${choice.card.id} has no parameter ${JSON.stringify(key)} to fill` };
  }
  for (const param of params) {
    const v = rest[param.name] ?? null;
    if (!param.options.includes(v)) return { ok: false, reason: `${param.name}: ${JSON.stringify(v)} is not one of the values offered` };
    if (v !== null) values[param.name] = v;
  }
  return { ok: true, answer: { cardId: choice.card.id, values } };
}
