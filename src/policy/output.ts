/**
 * Which fields a JSONPath template (`-o jsonpath=…`, `-o custom-columns=…`, `--sort-by=…`) can reach. These
 * formats print bare values, without the key beside them, so output redaction cannot tell a password from a
 * pod name: a template that can reach environment values, ConfigMap data, annotations (where
 * `last-applied-configuration` keeps both) or Helm values is refused unless a policy allow-lists that exact
 * path. The reading is conservative: what cannot be read, or could match such a field, is refused.
 */

/**
 * Fields whose values are, or may hold, credentials; compared lower-cased. Beside env and ConfigMap data:
 * container args and command (`--password=…`), annotations, Helm values and Flux post-build substitutions.
 */
const SENSITIVE: ReadonlySet<string> = new Set(["env", "data", "binarydata", "stringdata", "annotations", "values", "args", "command", "substitute"]);
/** Fields whose subtree contains a sensitive field in some kind: printing them prints it. */
const ANCESTORS: ReadonlySet<string> = new Set(["items", "spec", "template", "jobtemplate", "containers", "initcontainers", "ephemeralcontainers", "metadata"]);
/** Ancestors that are maps: a wildcard over their fields can select a sensitive one without naming it. */
const MAP_ANCESTORS: ReadonlySet<string> = new Set(["spec", "template", "jobtemplate", "metadata"]);
/**
 * Names `..NAME` may search for. A recursive search also matches free-form keys (ConfigMap data, labels,
 * annotations), so only schema names that never hold credentials are accepted.
 */
const DESCEND_SAFE: ReadonlySet<string> = new Set([
  "image",
  "imageid",
  "name",
  "namespace",
  "kind",
  "apiversion",
  "uid",
  "phase",
  "nodename",
  "podip",
  "hostip",
  "containerid",
  "restartcount",
  "ready",
  "replicas",
  "readyreplicas",
  "availablereplicas",
  "updatedreplicas",
]);

type Step =
  | { readonly t: "field"; readonly names: readonly string[] }
  | { readonly t: "any" }
  | { readonly t: "index"; readonly raw: string }
  | { readonly t: "filter"; readonly raw: string; readonly names: readonly string[] }
  | { readonly t: "descend" };

/** Characters that end a field name in kubectl's JSONPath (a backslash escapes the next one). */
const NAME_END = new Set([".", "[", "]", "{", "}", "(", ")", " ", "'", '"', "=", "!", "<", ">", ",", "@", "$", "|", "&"]);

/** A field name; null when a backslash escapes anything but a dot (`kubernetes\.io/name`), which could spell another name. */
function readName(expr: string, from: number): [name: string, next: number] | null {
  let name = "";
  let i = from;
  while (i < expr.length && !NAME_END.has(expr[i] as string)) {
    if (expr[i] === "\\") {
      if (expr[i + 1] !== ".") return null;
      i++;
    }
    name += expr[i];
    i++;
  }
  return [name, i];
}

/** Index of the `]` closing the bracket opened at `from`, skipping quoted text and nested brackets; -1 if none. */
function closingBracket(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i] as string;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end === -1) return -1;
      i = end;
    } else if (c === "[" || c === "(") depth++;
    else if (c === "]" || c === ")") {
      depth--;
      if (depth === 0) return c === "]" ? i : -1;
    }
  }
  return -1;
}

const FILTER_NAME = /\.([A-Za-z_][\w-]*)/g;
const QUOTED_UNION = /^\s*(['"])[^'"]*\1(\s*,\s*(['"])[^'"]*\3)*\s*$/;
const INDEX = /^\s*-?[0-9]*\s*(:\s*-?[0-9]*\s*){0,2}(,\s*-?[0-9]+\s*)*$/;

function readBracket(body: string): Step | null {
  const trimmed = body.trim();
  if (trimmed === "*") return { t: "any" };
  if (trimmed.startsWith("?")) {
    // Filters test fields of the current item only, by plain names: a nested bracket, wildcard, recursive search
    // or escape could test a value the names do not show (an oracle on ConfigMap data).
    if (/\.\.|[*[\\$]/.test(trimmed.slice(1))) return null;
    return { t: "filter", raw: trimmed.replaceAll(" ", ""), names: [...trimmed.matchAll(FILTER_NAME)].map((m) => (m[1] as string).toLowerCase()) };
  }
  // kubectl unquotes these with escape sequences (`'\u0065nv'` is env), so a backslash makes the name unreadable here.
  if (QUOTED_UNION.test(trimmed) && !trimmed.includes("\\")) return { t: "field", names: [...trimmed.matchAll(/(['"])([^'"]*)\1/g)].map((m) => m[2] as string) };
  if (trimmed !== "" && INDEX.test(trimmed)) return { t: "index", raw: trimmed.replaceAll(" ", "") };
  return null;
}

/** One JSONPath expression (`.items[*].metadata.name`, `$..image`, `@.spec`) as steps; null when it cannot be read. */
function parseExpression(expr: string): Step[] | null {
  const steps: Step[] = [];
  let i = expr.startsWith("$") || expr.startsWith("@") ? 1 : 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === "[") {
      const end = closingBracket(expr, i);
      const step = end === -1 ? null : readBracket(expr.slice(i + 1, end));
      if (step === null) return null;
      steps.push(step);
      i = end + 1;
      continue;
    }
    if (c !== ".") return null;
    if (expr[i + 1] === ".") {
      steps.push({ t: "descend" });
      i += 2;
    } else i += 1;
    if (expr[i] === "*") {
      steps.push({ t: "any" });
      i += 1;
      continue;
    }
    if (expr[i] === "[") continue;
    const read = readName(expr, i);
    if (read === null || read[0] === "") return null;
    const [name, next] = read;
    steps.push({ t: "field", names: [name] });
    i = next;
  }
  return steps;
}

function serialize(steps: readonly Step[]): string {
  return steps
    .map((s, i) => {
      switch (s.t) {
        case "field":
          if (s.names.length !== 1) return `[${s.names.map((n) => `'${n}'`).join(",")}]`;
          // `..name`: the recursive step already wrote the dots.
          return `${steps[i - 1]?.t === "descend" ? "" : "."}${s.names[0] as string}`;
        case "any":
          return "[*]";
        case "index":
        case "filter":
          return `[${s.raw}]`;
        case "descend":
          return "..";
      }
    })
    .join("");
}

/** The path with a leading `.items[*]` removed: a list prints each item the way one object prints. */
function perObject(steps: readonly Step[]): readonly Step[] {
  const [first, second] = steps;
  const listItems = first?.t === "field" && first.names.length === 1 && first.names[0] === "items" && (second?.t === "any" || second?.t === "index");
  return listItems ? steps.slice(2) : steps;
}

/** The canonical spelling of an allow-listed path (`data.LOG_LEVEL`, `{.data['LOG_LEVEL']}` → `.data.LOG_LEVEL`); null if unreadable. */
export function canonicalFieldPath(path: string): string | null {
  const steps = parseExpression(relaxed(path));
  return steps === null ? null : serialize(perObject(steps));
}

/**
 * Why one expression may print a credential, or null. `prints` is false for expressions that only steer
 * (a `range` or a sort key): those are not printed, so stopping at a whole object is fine there.
 */
function unsafe(steps: readonly Step[], prints: boolean): string | null {
  let previous: Step | undefined;
  for (const [i, step] of steps.entries()) {
    if (step.t === "field") {
      const bad = step.names.find((n) => SENSITIVE.has(n.toLowerCase()));
      if (bad !== undefined) return `it reads "${bad}"`;
    }
    if (step.t === "filter") {
      const bad = step.names.find((n) => SENSITIVE.has(n));
      if (bad !== undefined) return `its filter tests "${bad}"`;
    }
    if (step.t === "any" || step.t === "filter") {
      const over = previous?.t === "field" && previous.names.length === 1 ? (previous.names[0] as string).toLowerCase() : undefined;
      if (over === undefined || MAP_ANCESTORS.has(over)) return "a wildcard there can select any field, environment values and ConfigMap data included";
    }
    if (step.t === "descend") {
      const next = steps[i + 1];
      if (next?.t !== "field" || !next.names.every((n) => DESCEND_SAFE.has(n.toLowerCase()))) {
        return `a recursive search (..) may only look for ${[...DESCEND_SAFE].slice(0, 6).join(", ")}, …`;
      }
    }
    previous = step;
  }
  if (!prints) return null;
  const last = steps.findLast((s): s is Extract<Step, { t: "field" }> => s.t === "field");
  if (last === undefined) return "it prints whole objects";
  const whole = last.names.find((n) => ANCESTORS.has(n.toLowerCase()));
  return whole === undefined ? null : `it prints all of "${whole}", environment values and annotations included`;
}

/** kubectl's relaxed path for custom-columns and --sort-by: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean `.a.b`. */
function relaxed(path: string): string {
  const inner = path.startsWith("{") && path.endsWith("}") ? path.slice(1, -1) : path;
  return `.${inner.startsWith(".") ? inner.slice(1) : inner}`;
}

interface Expression {
  readonly text: string;
  readonly prints: boolean;
}

/** The expressions inside a JSONPath template's `{…}` actions; null when the template cannot be read. */
function templateExpressions(template: string): Expression[] | null {
  const out: Expression[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open === -1) break;
    let close = -1;
    for (let j = open + 1; j < template.length; j++) {
      const c = template[j] as string;
      if (c === "'" || c === '"') {
        const end = template.indexOf(c, j + 1);
        if (end === -1) return null;
        j = end;
      } else if (c === "{") return null;
      else if (c === "}") {
        close = j;
        break;
      }
    }
    if (close === -1) return null;
    const words = template.slice(open + 1, close).match(/(?:[^\s'"]+|'[^']*'|"[^"]*")+/g) ?? [];
    for (let w = 0; w < words.length; w++) {
      const word = words[w] as string;
      if (word === "end" || /^(['"]).*\1$/s.test(word) || /^-?[0-9]+(\.[0-9]+)?$/.test(word)) continue;
      if (word === "range") {
        const target = words[++w];
        if (target === undefined) return null;
        out.push({ text: target, prints: false });
      } else out.push({ text: word, prints: true });
    }
    i = close + 1;
  }
  return out;
}

export type FieldVerdict = { readonly ok: true } | { readonly ok: false; readonly why: string };

const OK: FieldVerdict = { ok: true };

function check(expressions: readonly Expression[] | null, allowed: ReadonlySet<string>, label: string): FieldVerdict {
  if (expressions === null) return { ok: false, why: `${label} cannot be read` };
  for (const { text, prints } of expressions) {
    const steps = parseExpression(text);
    if (steps === null) return { ok: false, why: `${label}: "${text}" cannot be read` };
    const own = perObject(steps);
    if (allowed.has(serialize(own))) continue;
    const why = unsafe(own, prints);
    if (why !== null) return { ok: false, why: `${label}: "${text}" — ${why}` };
  }
  return OK;
}

/**
 * Checks an `-o` value of the jsonpath or custom-columns family (other formats pass). `allowed` holds the
 * canonical paths the policy allow-lists for every kind the command reads.
 */
export function checkOutputFields(output: string, allowed: ReadonlySet<string>): FieldVerdict {
  const eq = output.indexOf("=");
  const format = eq === -1 ? output : output.slice(0, eq);
  const value = output.slice(eq + 1);
  if (format === "jsonpath" || format === "jsonpath-as-json") return check(templateExpressions(value), allowed, `-o ${format}`);
  if (format === "custom-columns") {
    const columns = value.split(",").map((column) => {
      const colon = column.indexOf(":");
      return colon === -1 ? null : { text: relaxed(column.slice(colon + 1)), prints: true };
    });
    return check(columns.includes(null) ? null : (columns as Expression[]), allowed, "-o custom-columns");
  }
  return OK;
}

/** Checks a --sort-by path: the order it gives tells something about the values it sorts by. */
export function checkSortField(path: string, allowed: ReadonlySet<string>): FieldVerdict {
  return check([{ text: relaxed(path), prints: false }], allowed, "--sort-by");
}
