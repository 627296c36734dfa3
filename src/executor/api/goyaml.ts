import { compareBytes } from "./gojson.js";

/**
 * YAML as kubectl's `-o yaml` writes it: sigs.k8s.io/yaml over go-yaml v2's emitter, for JSON-shaped values.
 * Keys sorted; sequences not indented under their key; a map inside a sequence starts on the dash line;
 * strings plain where YAML allows, else single-quoted, else double-quoted — except strings that would read back
 * as another YAML 1.1 type ("true", "1.5", "yes", "~", a timestamp) and the empty string, which are always
 * double-quoted; multi-line strings as literal blocks; long plain and quoted scalars folded at the first space
 * past column 80, as go-yaml's emitter does.
 */
export function goYaml(value: unknown): string {
  const out: string[] = [];
  emitNode(value, 0, out, "");
  return out.join("");
}

const BEST_WIDTH = 80;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : typeof v === "object" && v !== null && Object.keys(v).length === 0;
}

function isCollection(v: unknown): v is Json[] | Record<string, Json> {
  return typeof v === "object" && v !== null && !isEmptyCollection(v);
}

/** Emits `value` whose first line continues `prefix` (already indented); nested lines use `indent`. */
function emitNode(value: unknown, indent: number, out: string[], prefix: string): void {
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, i) => {
      const lead = i === 0 ? prefix : " ".repeat(indent);
      emitItem(item, indent, out, `${lead}- `);
    });
    return;
  }
  if (isCollection(value)) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareBytes(a, b));
    entries.forEach(([key, v], i) => {
      const lead = i === 0 ? prefix : " ".repeat(indent);
      const head = `${lead}${scalar(key, lead.length, indent, false)}:`;
      if (Array.isArray(v) && v.length > 0) {
        out.push(`${head}\n`);
        emitNode(v, indent, out, " ".repeat(indent));
      } else if (isCollection(v)) {
        out.push(`${head}\n`);
        emitNode(v, indent + 2, out, " ".repeat(indent + 2));
      } else {
        out.push(`${head} ${scalar(v, head.length + 1, indent + 2, true)}\n`);
      }
    });
    return;
  }
  out.push(`${prefix}${scalar(value, prefix.length, indent + 2, true)}\n`);
}

/** A sequence item after "- ": collections continue on the dash line, two columns in. */
function emitItem(item: unknown, indent: number, out: string[], lead: string): void {
  if (isCollection(item)) emitNode(item, indent + 2, out, lead);
  else out.push(`${lead}${scalar(item, lead.length, indent + 2, true)}\n`);
}

/** A scalar starting at `column`; `indent` is where folded or block lines continue. */
function scalar(v: unknown, column: number, indent: number, allowBreaks: boolean): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return goFloat(v);
  if (Array.isArray(v)) return "[]";
  if (typeof v === "object") return "{}";
  const s = String(v);
  if (s.includes("\n")) return literal(s, indent);
  if (s === "" || resolvesToOtherType(s)) return doubleQuoted(s, column, indent, allowBreaks);
  const style = analyze(s);
  if (style === "plain") return folded(s, column, indent, allowBreaks, "plain");
  if (style === "single") return folded(s, column, indent, allowBreaks, "single");
  return doubleQuoted(s, column, indent, allowBreaks);
}

function goFloat(n: number): string {
  if (Number.isInteger(n)) return String(n);
  // strconv.FormatFloat(f, 'g', -1, 64): exponent form below 1e-4 and from 1e21.
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e21)) return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  return String(n);
}

/** `|`, `|-` or `|+` by how the text ends; every line indented (an empty line stays empty). */
function literal(s: string, indent: number): string {
  const chomp = s.endsWith("\n") ? (s.endsWith("\n\n") ? "+" : "") : "-";
  // A leading space needs an explicit indentation indicator.
  const indicator = s.startsWith(" ") || s.startsWith("\n") ? "2" : "";
  const body = (chomp === "-" ? s : s.replace(/\n$/, "")).split("\n");
  const pad = " ".repeat(indent);
  return `|${indicator}${chomp}\n${body.map((line) => (line === "" ? "" : pad + line)).join("\n")}`;
}

/** YAML 1.1 plain-scalar resolution, as go-yaml v2 resolves: these strings must be quoted to stay strings. */
const OTHER_TYPES = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[0-9][0-9_]*)$/,
  /^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[-+]\d{1,2}(?::\d{2})?)?)?$/,
  /^<<$/,
];

function resolvesToOtherType(s: string): boolean {
  return OTHER_TYPES.some((re) => re.test(s));
}

/** go-yaml's scalar analysis for block context: plain if nothing in it is an indicator, single quotes if printable. */
function analyze(s: string): "plain" | "single" | "double" {
  let special = false;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    const printable = c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0x7e) || c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff) || c >= 0x10000;
    if (!printable || c === 0xfeff) special = true;
  }
  if (special) return "double";
  if (s.startsWith(" ") || s.endsWith(" ") || s.startsWith("---") || s.startsWith("...")) return "single";
  const first = s[0] as string;
  const second = s[1];
  const followedBySpace = second === undefined || second === " " || second === "\t";
  if ("#,[]{}&*!|>'\"%@`".includes(first)) return "single";
  if ((first === "?" || first === ":") && followedBySpace) return "single";
  if (first === "-" && followedBySpace) return "single";
  for (let i = 1; i < s.length; i++) {
    const c = s[i] as string;
    const next = s[i + 1];
    if (c === ":" && (next === undefined || next === " " || next === "\t")) return "single";
    if (c === "#" && (s[i - 1] === " " || s[i - 1] === "\t")) return "single";
  }
  return "plain";
}

/** Plain or single-quoted text, breaking at the first single space once past column 80. */
function folded(s: string, column: number, indent: number, allowBreaks: boolean, style: "plain" | "single"): string {
  const quote = style === "single" ? "'" : "";
  let out = quote;
  let col = column + quote.length;
  let spaces = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] as string;
    if (ch === " ") {
      const interior = style === "plain" || (i > 0 && i < s.length - 1);
      if (allowBreaks && !spaces && col > BEST_WIDTH && interior && s[i + 1] !== " ") {
        out += `\n${" ".repeat(indent)}`;
        col = indent;
      } else {
        out += ch;
        col++;
      }
      spaces = true;
      continue;
    }
    const text = style === "single" && ch === "'" ? "''" : ch;
    out += text;
    col += text.length;
    spaces = false;
  }
  return out + quote;
}

/** Double-quoted, with go-yaml's escapes and its folding (a break before a space is escaped with "\"). */
function doubleQuoted(s: string, column: number, indent: number, allowBreaks: boolean): string {
  let out = '"';
  let col = column + 1;
  let spaces = false;
  const chars = [...s];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === " ") {
      if (allowBreaks && !spaces && col > BEST_WIDTH && i > 0 && i < chars.length - 1) {
        out += `\n${" ".repeat(indent)}`;
        col = indent;
        if (chars[i + 1] === " ") {
          out += "\\";
          col++;
        }
      } else {
        out += ch;
        col++;
      }
      spaces = true;
      continue;
    }
    const text = escape(ch);
    out += text;
    col += text.length;
    spaces = false;
  }
  return `${out}"`;
}

function escape(ch: string): string {
  const c = ch.codePointAt(0) as number;
  switch (ch) {
    case '"':
      return '\\"';
    case "\\":
      return "\\\\";
    case "\0":
      return "\\0";
    case "\x07":
      return "\\a";
    case "\b":
      return "\\b";
    case "\t":
      return "\\t";
    case "\n":
      return "\\n";
    case "\v":
      return "\\v";
    case "\f":
      return "\\f";
    case "\r":
      return "\\r";
    case "\x1b":
      return "\\e";
    default:
      break;
  }
  if (c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) || c === 0xfeff) return c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, "0")}` : `\\u${c.toString(16).toUpperCase().padStart(4, "0")}`;
  return ch;
}
