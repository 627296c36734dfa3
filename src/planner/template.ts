import { CardRenderError, renderCard } from "../cards/render.js";
import type { Card, ParameterValues } from "../cards/schema.js";
import type { Intent, Resource } from "../cards/vocabulary.js";
import type { Plan, PlannerKind } from "./types.js";

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

/**
 * The card looks values up from the cluster (`resolve`) and none were given: the pipeline runs the
 * resolvers and plans again with their values. Thrown rather than returned so that every planner that
 * renders cards hands such a card to the pipeline unchanged.
 */
export class ResolutionNeededError extends Error {
  override readonly name = "ResolutionNeededError";
  constructor(
    readonly card: Card,
    readonly slots: Slots,
    readonly planner: PlannerKind,
  ) {
    super(`card "${card.id}" looks up ${Object.keys(card.resolve).join(", ")} from the cluster before it can be rendered`);
  }
}

/**
 * Fills the card's template with the slots; the card renderer validates every value before substitution.
 * `resolved` carries the values the pipeline looked up for the card's `resolve` parameters; they are
 * validated exactly like request values, since cluster data is no more trusted than a request.
 */
export function planFromCard(
  card: Card,
  slots: Slots,
  planner: PlannerKind = "template",
  now?: Date,
  resolved?: Readonly<Record<string, string>>,
): Plan {
  const lookedUp = Object.keys(card.resolve);
  if (lookedUp.length > 0 && resolved === undefined) throw new ResolutionNeededError(card, slots, planner);
  const values = slotValues(slots);
  for (const name of lookedUp) {
    if (values[name] !== undefined) {
      throw new CardRenderError(card.id, [], [{ name, value: values[name], reason: "is looked up from the cluster and cannot be given" }], [`"${name}" is looked up from the cluster and cannot be given`]);
    }
    values[name] = resolved?.[name];
  }
  const rendered = renderCard(card, values, now ? { now } : {});
  const namespace = stringValue(rendered.values["namespace"]);
  const target = stringValue(rendered.values["name"]);
  const selector = stringValue(rendered.values["selector"]);
  const what = target ?? (selector ? `pods matching ${selector}` : null);
  const where = namespace ? ` in ${namespace}` : "";
  return {
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
}

function stringValue(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
