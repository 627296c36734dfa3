import { CardRenderError, renderCard } from "./render.js";
import { RESOLVER_INPUTS } from "./schema.js";
import type { Card } from "./schema.js";
import { NOW, TemplateSyntaxError, parseTemplate, referencedNames, templateSteps } from "./template.js";
import type { TemplateToken } from "./template.js";
import { checkValue } from "./values.js";

export type IssuePath = readonly (string | number)[];

export interface CardIssue {
  /** Where in the card document the problem is, e.g. ["examples", 0, "command"]. */
  readonly path: IssuePath;
  readonly severity: "error" | "warning";
  readonly message: string;
}

const FIRST_TOKENS = new Set(["kubectl", "flux"]);
// Templates are argv. These characters only make sense to a shell and would reach kubectl literally.
const SHELL_META = /['`\\|;&<>$]/;

function templatePath(card: Card, step: number): IssuePath {
  return typeof card.command_template === "string" ? ["command_template"] : ["command_template", step];
}

function checkTemplate(card: Card, issues: CardIssue[]): TemplateToken[][] | null {
  const parsed: TemplateToken[][] = [];
  let ok = true;
  templateSteps(card.command_template).forEach((step, i) => {
    const path = templatePath(card, i);
    if (SHELL_META.test(step)) {
      issues.push({ path, severity: "error", message: `template contains a shell character (one of ' \` \\ | ; & < > $); templates are argv and steps never pipe` });
    }
    try {
      const tokens = parseTemplate(step);
      const first = tokens[0];
      const head = first?.length === 1 && first[0]?.kind === "text" ? first[0].text : undefined;
      if (head === undefined || !FIRST_TOKENS.has(head)) {
        issues.push({ path, severity: "error", message: `command must start with kubectl or flux, not "${step.trim().split(/\s+/)[0] ?? ""}"` });
      }
      parsed.push(tokens);
    } catch (err) {
      if (!(err instanceof TemplateSyntaxError)) throw err;
      issues.push({ path, severity: "error", message: err.message });
      ok = false;
    }
  });
  return ok ? parsed : null;
}

function checkParameters(card: Card, parsed: readonly TemplateToken[][], issues: CardIssue[]): void {
  const declared = new Map(card.parameters.map((p, i) => [p.name, i]));
  const inSection = new Set<string>();
  const outsideSection = new Set<string>();
  const sections = new Set<string>();
  for (const tokens of parsed) {
    let open: string | null = null;
    for (const part of tokens.flat()) {
      if (part.kind === "open") {
        open = part.name;
        sections.add(part.name);
      } else if (part.kind === "close") open = null;
      else if (part.kind === "placeholder") (open === null ? outsideSection : inSection).add(part.name);
    }
  }
  const resolverInputs = Object.values(card.resolve).flatMap((resolver) => RESOLVER_INPUTS[resolver]);
  const used = new Set([...inSection, ...outsideSection, ...sections, ...resolverInputs]);

  parsed.forEach((tokens, step) => {
    const { placeholders, sections: stepSections } = referencedNames(tokens);
    for (const name of [...placeholders, ...stepSections]) {
      if (!declared.has(name) && name !== NOW) {
        issues.push({ path: templatePath(card, step), severity: "error", message: `"${name}" is used in the template but not declared in parameters` });
      }
    }
    if (stepSections.has(NOW) && !declared.has(NOW)) {
      issues.push({ path: templatePath(card, step), severity: "error", message: `{{now}} always has a value; it cannot open a section` });
    }
  });

  const seen = new Set<string>();
  card.parameters.forEach((param, i) => {
    const path = ["parameters", i];
    if (seen.has(param.name)) issues.push({ path: [...path, "name"], severity: "error", message: `parameter "${param.name}" is declared twice` });
    seen.add(param.name);
    if (param.name === NOW) issues.push({ path: [...path, "name"], severity: "error", message: `"now" is the built-in timestamp placeholder; choose another name` });
    if (!used.has(param.name)) issues.push({ path: [...path, "name"], severity: "error", message: `parameter "${param.name}" is declared but the template never uses it` });
    if (param.type === "string" && param.pattern === undefined && param.enum === undefined) {
      issues.push({ path, severity: "error", message: `string parameter "${param.name}" needs a pattern or an enum so that requests cannot pass arbitrary text` });
    }
    if (param.pattern !== undefined) {
      try {
        new RegExp(param.pattern);
      } catch {
        issues.push({ path: [...path, "pattern"], severity: "error", message: `pattern of "${param.name}" is not a valid regular expression` });
      }
    }
    if ((param.min !== undefined || param.max !== undefined) && param.type !== "integer") {
      issues.push({ path, severity: "warning", message: `min/max only apply to integer parameters` });
    }
    if (param.default !== undefined) {
      const checked = checkValue(param, param.default);
      if (!checked.ok) issues.push({ path: [...path, "default"], severity: "error", message: `default of "${param.name}" ${checked.reason}` });
      if (param.required) issues.push({ path: [...path, "default"], severity: "warning", message: `"${param.name}" is required, so its default is never used` });
    } else if (!param.required && outsideSection.has(param.name)) {
      issues.push({
        path,
        severity: "error",
        message: `optional parameter "${param.name}" has no default but is used outside a {{#${param.name}}} section; make it required, give it a default or wrap its flag in a section`,
      });
    }
  });
}

function checkExamples(card: Card, usesNow: boolean, issues: CardIssue[]): void {
  const declared = new Set(card.parameters.map((p) => p.name));
  card.examples.forEach((example, i) => {
    const path = ["examples", i];
    for (const key of Object.keys(example.values)) {
      if (!declared.has(key) && !(usesNow && key === NOW)) {
        issues.push({ path: [...path, "values", key], severity: "error", message: `example value "${key}" is not a declared parameter` });
      }
    }
    if (usesNow && example.values[NOW] === undefined) {
      issues.push({ path: [...path, "values"], severity: "error", message: `the template uses {{now}}; give the example a fixed "now" value (e.g. now: "2024-05-01T12:00:00Z") so its command is reproducible` });
      return;
    }
    let commands: readonly string[];
    try {
      commands = renderCard(card, example.values).commands;
    } catch (err) {
      if (!(err instanceof CardRenderError)) throw err;
      issues.push({ path: [...path, "values"], severity: "error", message: `example does not render: ${err.message}` });
      return;
    }
    const expected = templateSteps(example.command);
    if (expected.length !== commands.length) {
      issues.push({ path: [...path, "command"], severity: "error", message: `example has ${expected.length} command(s) but the template renders ${commands.length} step(s)` });
      return;
    }
    commands.forEach((rendered, step) => {
      const want = expected[step];
      if (want !== rendered) {
        const at = typeof example.command === "string" ? [...path, "command"] : [...path, "command", step];
        issues.push({ path: at, severity: "error", message: `example command differs from the rendered template:\n  example:  ${want}\n  rendered: ${rendered}` });
      }
    });
  });
}

/** Semantic checks that the schema cannot express: template syntax, parameter use, examples that render exactly. */
export function checkCard(card: Card): CardIssue[] {
  const issues: CardIssue[] = [];
  const parsed = checkTemplate(card, issues);
  if (parsed === null) return issues;
  checkParameters(card, parsed, issues);
  const usesNow = parsed.some((tokens) => referencedNames(tokens).placeholders.has(NOW));
  // Rendering examples of a card whose parameters are broken only repeats those errors.
  if (!issues.some((issue) => issue.severity === "error")) checkExamples(card, usesNow, issues);
  if (card.references.length === 0) issues.push({ path: ["references"], severity: "warning", message: "no references to the documentation" });
  if (card.keywords.length === 0) issues.push({ path: ["keywords"], severity: "warning", message: "no keywords; retrieval will rely on the title alone" });
  return issues;
}
