import { isRfc3339Utc, quoteArgv } from "../kube/index.js";
import type { Card, CardParameter, ParameterValues } from "./schema.js";
import { NOW, parseTemplate, referencedNames, templateSteps } from "./template.js";
import type { TemplateToken } from "./template.js";
import { checkValue, describeExpected } from "./values.js";
import type { ResolvedValue } from "./values.js";

export interface RenderedCommand {
  /** argv per step (without a shell); steps run in order, never as a pipeline. */
  readonly steps: readonly (readonly string[])[];
  /** Each step as a POSIX-quoted string that tokenizes back to the same argv. */
  readonly commands: readonly string[];
  /** The values actually used: validated, type-normalised, defaults applied (and `now` when the template uses it). */
  readonly values: Readonly<Record<string, ResolvedValue>>;
}

export interface RenderContext {
  /** The time `{{now}}` renders; defaults to the current time. */
  readonly now?: Date;
}

export interface InvalidValue {
  readonly name: string;
  readonly value: unknown;
  readonly reason: string;
}

export class CardRenderError extends Error {
  override readonly name = "CardRenderError";
  constructor(
    readonly cardId: string,
    readonly missing: readonly string[],
    readonly invalid: readonly InvalidValue[],
    detail: readonly string[],
  ) {
    super(`card "${cardId}" cannot be rendered: ${detail.join("; ")}`);
  }
}

/** Formats a time the way `{{now}}` renders it: RFC 3339 UTC with second precision. */
export function formatNow(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

interface Problems {
  readonly missing: string[];
  readonly invalid: InvalidValue[];
  readonly detail: string[];
}

function resolveValues(
  card: Card,
  values: ParameterValues,
  usesNow: boolean,
  ctx: RenderContext,
  problems: Problems,
): Map<string, ResolvedValue> {
  const params = new Map<string, CardParameter>(card.parameters.map((p) => [p.name, p]));
  const resolved = new Map<string, ResolvedValue>();
  const builtinNow = usesNow && !params.has(NOW);

  for (const [key, raw] of Object.entries(values)) {
    if (raw === undefined || params.has(key) || (builtinNow && key === NOW)) continue;
    const known = [...params.keys()];
    const reason = `not a parameter of this card (parameters: ${known.length > 0 ? known.join(", ") : "none"})`;
    problems.invalid.push({ name: key, value: raw, reason });
    problems.detail.push(`"${key}" is ${reason}`);
  }

  for (const param of card.parameters) {
    const raw = values[param.name];
    const present = raw !== undefined && raw !== "";
    const candidate = present ? raw : param.default;
    if (candidate === undefined) {
      if (param.required) {
        problems.missing.push(param.name);
        problems.detail.push(`missing required parameter "${param.name}" (${param.description}); expected ${describeExpected(param)}`);
      }
      continue;
    }
    const checked = checkValue(param, candidate);
    if (checked.ok) {
      resolved.set(param.name, checked.value);
    } else {
      problems.invalid.push({ name: param.name, value: candidate, reason: checked.reason });
      problems.detail.push(`${present ? "" : "default of "}"${param.name}" = ${showValue(candidate)} ${checked.reason}`);
    }
  }

  if (builtinNow) {
    const given = values[NOW];
    if (given !== undefined && given !== "") {
      if (typeof given === "string" && isRfc3339Utc(given)) resolved.set(NOW, given);
      else {
        const reason = "is not an RFC 3339 UTC timestamp such as 2024-05-01T12:00:00Z";
        problems.invalid.push({ name: NOW, value: given, reason });
        problems.detail.push(`"${NOW}" = ${showValue(given)} ${reason}`);
      }
    } else {
      resolved.set(NOW, formatNow(ctx.now ?? new Date()));
    }
  }
  return resolved;
}

function sectionActive(value: ResolvedValue | undefined): boolean {
  return value !== undefined && value !== false;
}

function renderStep(tokens: readonly TemplateToken[], resolved: Map<string, ResolvedValue>, problems: Problems): string[] {
  const argv: string[] = [];
  let skipping = false;
  for (const token of tokens) {
    let element = "";
    for (const part of token) {
      if (part.kind === "open") skipping = !sectionActive(resolved.get(part.name));
      else if (part.kind === "close") skipping = false;
      else if (skipping) continue;
      else if (part.kind === "text") element += part.text;
      else {
        const value = resolved.get(part.name);
        if (value === undefined) {
          if (!problems.missing.includes(part.name) && !problems.invalid.some((i) => i.name === part.name)) {
            problems.missing.push(part.name);
            problems.detail.push(`"${part.name}" has no value and no default but the command needs it`);
          }
          continue;
        }
        const text = String(value);
        // A value that starts an argv element must not be readable as a flag (e.g. "--kubeconfig=/x").
        if (element === "" && text.startsWith("-")) {
          const reason = "would start an argument with '-', which kubectl reads as a flag";
          problems.invalid.push({ name: part.name, value, reason });
          problems.detail.push(`"${part.name}" = ${showValue(value)} ${reason}`);
        }
        element += text;
      }
    }
    if (element !== "") argv.push(element);
  }
  return argv;
}

interface ParsedTemplate {
  readonly parsed: readonly TemplateToken[][];
  readonly usesNow: boolean;
}

/** Cards are immutable once loaded, so each template is tokenized once, not on every plan. */
const parsedTemplates = new WeakMap<Card, ParsedTemplate>();

function parsedTemplate(card: Card): ParsedTemplate {
  let entry = parsedTemplates.get(card);
  if (entry === undefined) {
    const parsed = templateSteps(card.command_template).map(parseTemplate);
    entry = { parsed, usesNow: parsed.some((tokens) => referencedNames(tokens).placeholders.has(NOW)) };
    parsedTemplates.set(card, entry);
  }
  return entry;
}

/**
 * Renders a card's command template with validated values. Throws CardRenderError naming every missing
 * or invalid parameter, and TemplateSyntaxError when the card itself is malformed (the loader rejects such cards).
 */
export function renderCard(card: Card, values: ParameterValues, ctx: RenderContext = {}): RenderedCommand {
  const { parsed, usesNow } = parsedTemplate(card);
  const problems: Problems = { missing: [], invalid: [], detail: [] };
  const resolved = resolveValues(card, values, usesNow, ctx, problems);
  const steps = parsed.map((tokens) => renderStep(tokens, resolved, problems));
  if (problems.missing.length > 0 || problems.invalid.length > 0) {
    throw new CardRenderError(card.id, problems.missing, problems.invalid, problems.detail);
  }
  return { steps, commands: steps.map(quoteArgv), values: Object.fromEntries(resolved) };
}
