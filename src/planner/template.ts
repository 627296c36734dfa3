import { renderCard } from "../cards/render.js";
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

/** Fills the card's template with the slots; the card renderer validates every value before substitution. */
export function planFromCard(card: Card, slots: Slots, planner: PlannerKind = "template", now?: Date): Plan {
  const rendered = renderCard(card, slotValues(slots), now ? { now } : {});
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
