/** `,"key":` by key, for the JSON writers that build a line field by field (audit lines, HTTP answers). */
const prefixes = new Map<string, string>();
/** A bound on what is kept: records with arbitrary keys must not grow it without end. */
const MAX_PREFIXES = 256;

/**
 * The same text as one flat string. A text built piece by piece is a tree of pieces (a V8 cons string), and
 * joining it into a line walks the whole tree, every time: a text kept to be joined into line after line is
 * made flat once, when it is kept. Joining two pieces always yields a new flat string.
 */
export function flat(text: string): string {
  return text.length < 2 ? text : [text.slice(0, 1), text.slice(1)].join("");
}

export function jsonFieldPrefix(key: string): string {
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = flat(`,${JSON.stringify(key)}:`);
    if (prefixes.size < MAX_PREFIXES) prefixes.set(key, prefix);
  }
  return prefix;
}

/**
 * Texts of field values that repeat (statuses, decisions, fixed messages), by key then value. All are forgotten
 * at once when `max` are held: values that never repeat pass through too and must not grow it without end.
 */
export class FieldTextCache {
  private readonly byKey = new Map<string, Map<unknown, string>>();
  private count = 0;

  constructor(private readonly max: number) {}

  get(key: string, value: unknown): string | undefined {
    return this.byKey.get(key)?.get(value);
  }

  set(key: string, value: unknown, text: string): void {
    if (this.count >= this.max) {
      this.byKey.clear();
      this.count = 0;
    }
    let byValue = this.byKey.get(key);
    if (byValue === undefined) this.byKey.set(key, (byValue = new Map()));
    byValue.set(value, flat(text));
    this.count++;
  }
}

/** Whole thousandths below this have at most 15 significant digits: their shortest decimal is n/1000 itself. */
const MAX_THOUSANDTHS = 1e15;

/**
 * A number exactly as JSON.stringify writes it. Numbers that are whole thousandths (timings in milliseconds,
 * rounded to the microsecond) are written from integers: V8's shortest-decimal formatting of a fraction costs
 * several times the integer's, and every answer and audit line carries six of them.
 */
export function numberJson(x: number): string {
  const n = Math.round(x * 1000);
  // n / 1000 === x: x is the double nearest to the decimal n/1000, so that decimal is its shortest form.
  if (!(x >= 0 && n < MAX_THOUSANDTHS && n / 1000 === x)) return JSON.stringify(x);
  const frac = n % 1000;
  const whole = (n - frac) / 1000;
  if (frac === 0) return `${whole}`;
  if (frac % 100 === 0) return `${whole}.${frac / 100}`;
  if (frac % 10 === 0) return `${whole}.${frac < 100 ? "0" : ""}${frac / 10}`;
  return `${whole}.${frac < 10 ? "00" : frac < 100 ? "0" : ""}${frac}`;
}

/** A plain object whose own values are all numbers (a record's timings): one JSON.stringify would treat it so. */
export function isNumbersObject(value: object): value is Record<string, number> {
  if (Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  // Own keys only, as JSON.stringify reads them (for…in would also walk anything added to Object.prototype).
  for (const key of Object.keys(value)) if (typeof (value as Record<string, unknown>)[key] !== "number") return false;
  return true;
}

/** JSON.stringify of an object for which isNumbersObject holds, its numbers written by numberJson. */
export function numbersJson(value: Readonly<Record<string, number>>): string {
  let text = "";
  for (const key of Object.keys(value)) text += `${jsonFieldPrefix(key)}${numberJson(value[key] as number)}`;
  return text === "" ? "{}" : `{${text.slice(1)}}`;
}

/** What a record writer supplies: each field's piece, and which values recur as they are. */
export interface FieldWriter {
  /** `,"key":json` for one field, or undefined when JSON leaves it out. */
  piece(key: string, value: unknown): string | undefined;
  /**
   * Whether `value` under `key` is one that recurs line after line, identical: a frozen object (frozen all the
   * way down, as deepFreeze leaves it), a status string, null, an empty array. Runs of such fields are
   * remembered by the identity of their values; anything that may change in place must answer false.
   */
  repeats(key: string, value: unknown): boolean;
}

/** A run of consecutive fields whose values recur, and their pieces joined. */
interface Run {
  readonly keys: readonly string[];
  readonly values: readonly unknown[];
  text: string;
}

/** Runs reached through one sequence of objects (by identity), told apart by their other values. */
interface RunNode {
  readonly next: WeakMap<object, RunNode>;
  readonly runs: Run[];
}

/** Runs kept under one node: the records with the same objects differ in a few statuses at most. */
const RUNS_PER_NODE = 8;

/** `[]` in JSON whatever it holds: an empty array without a toJSON of its own. */
export function isEmptyArray(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0 && typeof (value as { toJSON?: unknown }).toJSON !== "function";
}

/** JSON.stringify leaves these fields out. */
function isLeftOut(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** Same text: the same value, or two empty arrays (a fresh `[]` per record is common). */
function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (isEmptyArray(a) && isEmptyArray(b));
}

/**
 * Builds `{…}` + `end` for records (audit lines, HTTP answers) from each own field's piece, exactly as
 * JSON.stringify would, joined once into one flat string. Runs of consecutive fields whose values recur
 * (see FieldWriter.repeats) are joined once and found again by the identity of their objects, then their
 * other values: a memoized plan's kind, target, request, plan, decision, risk and status are one piece in
 * every line that repeats them, not seven.
 */
export class RecordJoiner {
  private readonly root: RunNode = { next: new WeakMap(), runs: [] };

  constructor(private readonly writer: FieldWriter) {}

  join(fields: Record<string, unknown>, end: string): string {
    // Read once into arrays: a record's fields looked up by a changing key are slow keyed loads, and a run reads each field twice.
    const keys = Object.keys(fields);
    const values = Object.values(fields);
    const parts: string[] = [];
    let i = 0;
    while (i < keys.length) {
      const key = keys[i] as string;
      const value = values[i];
      if (isLeftOut(value)) {
        i++;
        continue;
      }
      let j = i;
      while (j < keys.length && this.recurs(keys[j] as string, values[j])) j++;
      const text = j - i > 1 ? this.runText(keys, values, i, j) : this.writer.piece(key, value);
      if (text !== undefined && text !== "") parts.push(text);
      i = Math.max(j, i + 1);
    }
    if (parts.length === 0) return `{}${end}`;
    // Every piece starts with a comma; the first one opens the object instead.
    parts[0] = `{${(parts[0] as string).slice(1)}`;
    parts.push(`}${end}`);
    return parts.join("");
  }

  /** Left-out fields belong to a run too: they are skipped in its text as in JSON. */
  private recurs(key: string, value: unknown): boolean {
    return isLeftOut(value) || this.writer.repeats(key, value);
  }

  /** The joined pieces of fields [from, to), remembered. */
  private runText(keys: readonly string[], values: readonly unknown[], from: number, to: number): string {
    let node = this.root;
    for (let k = from; k < to; k++) {
      const value = values[k];
      if (typeof value !== "object" || value === null || isEmptyArray(value)) continue;
      let child = node.next.get(value);
      if (child === undefined) node.next.set(value, (child = { next: new WeakMap(), runs: [] }));
      node = child;
    }
    for (const run of node.runs) if (matches(run, keys, values, from, to)) return run.text;
    const run: Run = { keys: keys.slice(from, to), values: values.slice(from, to), text: "" };
    const pieces: string[] = [];
    for (let k = 0; k < run.keys.length; k++) {
      if (isLeftOut(run.values[k])) continue;
      const piece = this.writer.piece(run.keys[k] as string, run.values[k]);
      if (piece !== undefined) pieces.push(piece);
    }
    run.text = flat(pieces.join(""));
    // The oldest run gives way: at most RUNS_PER_NODE variants of one set of objects are kept.
    if (node.runs.length >= RUNS_PER_NODE) node.runs.shift();
    node.runs.push(run);
    return run.text;
  }
}

function matches(run: Run, keys: readonly string[], values: readonly unknown[], from: number, to: number): boolean {
  if (run.keys.length !== to - from) return false;
  for (let k = from; k < to; k++) {
    if (run.keys[k - from] !== keys[k] || !sameValue(run.values[k - from], values[k])) return false;
  }
  return true;
}
