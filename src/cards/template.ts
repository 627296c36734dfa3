/**
 * Command templates are argv, not shell: the template is split on whitespace into tokens first and
 * placeholders are substituted inside each token afterwards, so a value can never add an argv element.
 */

export type TemplatePart =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "placeholder"; readonly name: string }
  | { readonly kind: "open"; readonly name: string }
  | { readonly kind: "close"; readonly name: string };

/** One whitespace-delimited token of the template; renders to at most one argv element. */
export type TemplateToken = readonly TemplatePart[];

/** The name of the built-in placeholder that renders the current time (RFC 3339, UTC). */
export const NOW = "now";

export class TemplateSyntaxError extends Error {
  override readonly name = "TemplateSyntaxError";
}

const MARKER = /\{\{([#/]?)([a-z][a-z0-9_]*)\}\}/g;

function splitToken(token: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of token.matchAll(MARKER)) {
    if (m.index > last) parts.push({ kind: "text", text: token.slice(last, m.index) });
    const name = m[2] ?? "";
    const sigil = m[1];
    parts.push(sigil === "#" ? { kind: "open", name } : sigil === "/" ? { kind: "close", name } : { kind: "placeholder", name });
    last = m.index + m[0].length;
  }
  if (last < token.length) parts.push({ kind: "text", text: token.slice(last) });
  for (const part of parts) {
    if (part.kind === "text" && part.text.includes("{{")) {
      throw new TemplateSyntaxError(`malformed placeholder in "${token}": write {{name}}, {{#name}} or {{/name}} with a lower_snake_case name`);
    }
  }
  return parts;
}

/** Parses one command template; throws TemplateSyntaxError for malformed, unbalanced or nested sections. */
export function parseTemplate(template: string): TemplateToken[] {
  const tokens = template.split(/\s+/).filter((t) => t !== "").map(splitToken);
  let open: string | null = null;
  for (const part of tokens.flat()) {
    if (part.kind === "open") {
      if (open !== null) throw new TemplateSyntaxError(`section {{#${part.name}}} opens inside section {{#${open}}}; sections do not nest`);
      open = part.name;
    } else if (part.kind === "close") {
      if (open !== part.name) {
        throw new TemplateSyntaxError(`{{/${part.name}}} closes ${open === null ? "no open section" : `section {{#${open}}}`}`);
      }
      open = null;
    }
  }
  if (open !== null) throw new TemplateSyntaxError(`section {{#${open}}} is never closed with {{/${open}}}`);
  return tokens;
}

/** The steps of a card's template: a single command or an ordered list of commands. */
export function templateSteps(template: string | readonly string[]): readonly string[] {
  return typeof template === "string" ? [template] : template;
}

/** Every name a template refers to, as placeholder or as section, in order of first appearance. */
export function referencedNames(tokens: readonly TemplateToken[]): { placeholders: Set<string>; sections: Set<string> } {
  const placeholders = new Set<string>();
  const sections = new Set<string>();
  for (const part of tokens.flat()) {
    if (part.kind === "placeholder") placeholders.add(part.name);
    else if (part.kind === "open") sections.add(part.name);
  }
  return { placeholders, sections };
}
