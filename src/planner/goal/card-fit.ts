import type { Card } from "../../cards/index.js";
import { FLUX_NAMESPACE } from "../../kube/index.js";
import { slotValues } from "../template.js";
import type { Slots } from "../template.js";
import type { GoalSlots } from "./slots.js";

export function requiredMissing(card: Card, slots: Slots): string[] {
  const given = new Set(Object.keys(slotValues(slots)));
  return card.parameters
    .filter((p) => p.required && p.default === undefined && p.name !== "now" && !given.has(p.name) && !(p.name in card.resolve))
    .map((p) => p.name);
}

/** Goal words map to the parameter a card actually declares ("revision 3" is `to_revision` for rollout undo). */
const PARAM_ALIASES: Readonly<Record<string, readonly string[]>> = { revision: ["revision", "to_revision"], event_type: ["type"] };

export function declaredName(card: Card, param: string): string | undefined {
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
export function unsupported(card: Card, slots: GoalSlots): string[] {
  const text = templateText(card);
  return Object.entries(slots.params)
    .filter(([param, value]) => {
      if (declaredName(card, param)) return false;
      if (param === "output") return !text.includes(`-o ${String(value)}`) && !text.includes(`-o=${String(value)}`);
      return !text.includes(`--${param}`);
    })
    .map(([param]) => param)
    .concat(slots.selector !== undefined && !declaredName(card, "selector") ? ["selector"] : []);
}

export interface Defaults {
  readonly suffix: string;
  readonly selector?: string;
}

/** The slots a card can take from what the goal said, plus the defaults the real tools have. */
export function slotsFor(card: Card, slots: GoalSlots, name: string | undefined, defaults: Defaults): Slots {
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
export function rerunSuffix(now: Date): string {
  return (Math.floor(now.getTime() / 1000) % 36 ** 4).toString(36).padStart(4, "0");
}

export function describeParam(param: string): string {
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
    selector: "a label selector",
  };
  return words[param] ?? param;
}
