import { badRequest } from "./status.js";
import type { FieldGetter } from "./resources.js";
import type { KubeObject } from "./types.js";

export type Matcher = (obj: KubeObject) => boolean;

type Operator = "exists" | "!exists" | "=" | "!=" | "in" | "notin" | "gt" | "lt";
interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

const TOKEN = /\s*(\(|\)|,|!=|==|=|!|>|<|[A-Za-z0-9_.\-/]+)/y;

function lex(input: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let rest = input;
  while (rest.trim() !== "") {
    TOKEN.lastIndex = 0;
    const m = TOKEN.exec(rest);
    if (!m || m[1] === undefined) throw badRequest(`unable to parse requirement: found '${rest.trim()}', expected: identifier`);
    tokens.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return tokens;
}

function isIdentifier(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z0-9_.\-/]+$/.test(token);
}

/** Parses the full label-selector grammar: =, ==, !=, in, notin, exists, !key (and gt/lt). */
export function parseLabelSelector(input: string): Requirement[] {
  const tokens = lex(input);
  const reqs: Requirement[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw badRequest(`unable to parse requirement: ${what} in label selector "${input}"`);
  };
  while (i < tokens.length) {
    let negated = false;
    if (tokens[i] === "!") {
      negated = true;
      i++;
    }
    const key = tokens[i];
    if (!isIdentifier(key) || key === "in" || key === "notin") fail(`expected a key, found '${key ?? "end"}'`);
    i++;
    if (negated) {
      reqs.push({ key: key as string, op: "!exists", values: [] });
    } else {
      const op = tokens[i];
      if (op === undefined || op === ",") reqs.push({ key: key as string, op: "exists", values: [] });
      else if (op === "=" || op === "==" || op === "!=" || op === ">" || op === "<") {
        i++;
        const value = tokens[i];
        // An empty value ("app=") is legal and matches an empty label.
        if (value === undefined || value === ",") reqs.push({ key: key as string, op: op === "!=" ? "!=" : "=", values: [""] });
        else {
          if (!isIdentifier(value)) fail(`invalid value '${value}'`);
          i++;
          const mapped: Operator = op === "!=" ? "!=" : op === ">" ? "gt" : op === "<" ? "lt" : "=";
          reqs.push({ key: key as string, op: mapped, values: [value as string] });
        }
      } else if (op === "in" || op === "notin") {
        i++;
        if (tokens[i] !== "(") fail(`expected '(' after ${op}`);
        i++;
        const values: string[] = [];
        while (tokens[i] !== ")") {
          const v = tokens[i];
          if (v === undefined) fail("missing ')'");
          if (v === ",") {
            i++;
            continue;
          }
          if (!isIdentifier(v)) fail(`invalid value '${v}'`);
          values.push(v as string);
          i++;
        }
        i++;
        reqs.push({ key: key as string, op, values });
      } else fail(`found '${op}', expected: '=', '!=', '==', 'in', notin'`);
    }
    if (i < tokens.length) {
      if (tokens[i] !== ",") fail(`found '${tokens[i]}', expected: ','`);
      i++;
    }
  }
  return reqs;
}

function matchesRequirement(labels: Record<string, string>, r: Requirement): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  switch (r.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "=":
      return has && value === r.values[0];
    case "!=":
      return !has || value !== r.values[0];
    case "in":
      return has && r.values.includes(value as string);
    case "notin":
      return !has || !r.values.includes(value as string);
    case "gt":
    case "lt": {
      const n = Number(value);
      const bound = Number(r.values[0]);
      if (!has || Number.isNaN(n) || Number.isNaN(bound)) return false;
      return r.op === "gt" ? n > bound : n < bound;
    }
  }
}

export function labelsMatch(labels: Record<string, string> | undefined, selector: string | Requirement[]): boolean {
  const reqs = typeof selector === "string" ? parseLabelSelector(selector) : selector;
  return reqs.every((r) => matchesRequirement(labels ?? {}, r));
}

export function labelMatcher(selector: string | undefined): Matcher {
  if (!selector) return () => true;
  const reqs = parseLabelSelector(selector);
  return (obj) => labelsMatch(obj.metadata.labels, reqs);
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A metav1.LabelSelector (as in spec.selector) as a predicate; an empty selector matches everything. */
export function selectorObjectMatcher(selector: LabelSelectorObject | undefined): (labels: Record<string, string> | undefined) => boolean {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) reqs.push({ key, op: "=", values: [value] });
  for (const e of selector?.matchExpressions ?? []) {
    const op: Operator = e.operator === "In" ? "in" : e.operator === "NotIn" ? "notin" : e.operator === "Exists" ? "exists" : "!exists";
    reqs.push({ key: e.key, op, values: e.values ?? [] });
  }
  return (labels) => labelsMatch(labels, reqs);
}

/** Renders a LabelSelector object as the selector string kubectl would send. */
export function selectorToString(selector: LabelSelectorObject | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

function splitUnescaped(input: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === "\\" && i + 1 < input.length) {
      current += ch + (input[i + 1] as string);
      i++;
    } else if (ch === separator) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, "$1");

/** Field selectors: comma-separated `field=value`, `field==value`, `field!=value` over the resource's field labels. */
export function fieldMatcher(selector: string | undefined, fieldLabels: Record<string, FieldGetter>): Matcher {
  if (!selector) return () => true;
  const terms = splitUnescaped(selector, ",")
    .filter((t) => t.trim() !== "")
    .map((term) => {
      const m = /^([^=!]+)(==|=|!=)(.*)$/s.exec(term.trim());
      if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
      const [, field = "", op, raw = ""] = m;
      const getter = fieldLabels[field.trim()];
      if (!getter) throw badRequest(`field label not supported: ${field.trim()}`);
      return { getter, negate: op === "!=", value: unescape(raw) };
    });
  return (obj) => terms.every((t) => (t.getter(obj) === t.value) !== t.negate);
}
