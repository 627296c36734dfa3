import { CardRenderError, renderCard } from "../cards/render.js";
import type { Card, ParameterValues } from "../cards/schema.js";
import type { Intent, Resource } from "../cards/vocabulary.js";
import type { FieldIssue, PendingLookup, Plan, PlannerKind } from "./types.js";

/** The slots a request (structured, or extracted from a goal) fills in a card. */
export interface Slots {
  readonly intent: Intent;
  readonly resource: Resource;
  readonly namespace?: string | undefined;
  readonly name?: string | undefined;
  readonly selector?: string | undefined;
  readonly params?: Readonly<Record<string, string | number | boolean | undefined>> | undefined;
}

export function slotValues(slots: Slots): ParameterValues {
  const values: ParameterValues = { ...slots.params };
  if (slots.namespace !== undefined) values["namespace"] = slots.namespace;
  if (slots.name !== undefined) values["name"] = slots.name;
  if (slots.selector !== undefined) values["selector"] = slots.selector;
  for (const key of Object.keys(values)) if (values[key] === undefined) delete values[key];
  return values;
}

/** What rendering a card with some slots ends in. */
export type Rendering =
  | { readonly kind: "plan"; readonly plan: Plan }
  | { readonly kind: "needs_lookup"; readonly pending: PendingLookup }
  | {
      readonly kind: "invalid";
      /** The render failure as request fields; the one translation of CardRenderError. */
      readonly issues: readonly FieldIssue[];
      /** Parameters that are missing or whose value was refused. */
      readonly missing: readonly string[];
      readonly message: string;
      /** Whether a refused value is one the cluster returned (then the lookup, not the request, is at fault). */
      readonly fromLookup: boolean;
      readonly error: CardRenderError;
    };

export interface RenderOptions {
  readonly planner?: PlannerKind;
  readonly now?: Date;
  /** Values looked up in the cluster for the card's `resolve` parameters; validated like request values. */
  readonly resolved?: Readonly<Record<string, string>>;
}

/** Request field a card parameter comes from. */
export function fieldPath(param: string): string {
  return ["name", "namespace", "selector"].includes(param) ? param : `params.${param}`;
}

/** A render failure as request fields: the one place CardRenderError is translated. */
export function renderFailure(error: CardRenderError, resolved?: Readonly<Record<string, string>>): Extract<Rendering, { kind: "invalid" }> {
  const issues: FieldIssue[] = [
    ...error.missing.map((name) => ({ path: fieldPath(name), message: `is required by card ${error.cardId}` })),
    ...error.invalid.map((i) => ({ path: fieldPath(i.name), message: i.reason })),
  ];
  return {
    kind: "invalid",
    issues: issues.length > 0 ? issues : [{ path: "", message: error.message }],
    missing: [...error.missing, ...error.invalid.map((i) => i.name)],
    message: error.message,
    fromLookup: resolved !== undefined && error.invalid.some((i) => i.name in resolved),
    error,
  };
}

/**
 * Fills the card's template with the slots; the card renderer validates every value before substitution.
 * A card that looks values up (`resolve`) and has none yet answers needs_lookup; cluster values are then
 * validated exactly like request values, since cluster data is no more trusted than a request.
 */
export function renderPlan(card: Card, slots: Slots, options: RenderOptions = {}): Rendering {
  const planner = options.planner ?? "template";
  const lookedUp = Object.keys(card.resolve);
  if (lookedUp.length > 0 && options.resolved === undefined) {
    return { kind: "needs_lookup", pending: { card, slots, planner, resolve: card.resolve } };
  }
  const values = slotValues(slots);
  for (const name of lookedUp) {
    if (values[name] !== undefined) {
      return renderFailure(
        new CardRenderError(card.id, [], [{ name, value: values[name], reason: "is looked up from the cluster and cannot be given" }], [`"${name}" is looked up from the cluster and cannot be given`]),
      );
    }
    values[name] = options.resolved?.[name];
  }
  let rendered;
  try {
    rendered = renderCard(card, values, options.now ? { now: options.now } : {});
  } catch (error) {
    if (error instanceof CardRenderError) return renderFailure(error, options.resolved);
    throw error;
  }
  const namespace = stringValue(rendered.values["namespace"]);
  const target = stringValue(rendered.values["name"]);
  const selector = stringValue(rendered.values["selector"]);
  const what = target ?? (selector ? `pods matching ${selector}` : null);
  const where = namespace ? ` in ${namespace}` : "";
  const plan: Plan = {
    intent: card.intent,
    resource: card.resource,
    namespace,
    target,
    selector,
    command: rendered.commands.join("\n"),
    commands: rendered.commands,
    steps: rendered.steps,
    summary: `${card.title}${what ? `: ${what}` : ""}${where}`,
    cardId: card.id,
    planner,
  };
  return { kind: "plan", plan };
}

/**
 * Raised by planFromCard only. The goal parser's contract is "card + slots → Plan"; a card that looks values
 * up cannot be a Plan yet, so planFromCard signals it and the goal planner (its only caller's caller)
 * turns it back into needs_lookup at once. New code calls renderPlan, which returns values instead.
 */
export class LookupRequired extends Error {
  override readonly name = "LookupRequired";
  constructor(readonly pending: PendingLookup) {
    super(`card "${pending.card.id}" looks up ${Object.keys(pending.resolve).join(", ")} from the cluster before it can be rendered`);
  }
}

/** renderPlan for callers that need a Plan: throws CardRenderError (bad values) or LookupRequired. */
export function planFromCard(card: Card, slots: Slots, planner: PlannerKind = "template", now?: Date): Plan {
  const rendering = renderPlan(card, slots, { planner, ...(now ? { now } : {}) });
  if (rendering.kind === "plan") return rendering.plan;
  if (rendering.kind === "needs_lookup") throw new LookupRequired(rendering.pending);
  throw rendering.error;
}

function stringValue(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
