/** `,"key":` by key, for the JSON writers that build a line field by field (audit lines, HTTP answers). */
const prefixes = new Map<string, string>();
/** A bound on what is kept: records with arbitrary keys must not grow it without end. */
const MAX_PREFIXES = 256;

export function jsonFieldPrefix(key: string): string {
  let prefix = prefixes.get(key);
  if (prefix === undefined) {
    prefix = `,${JSON.stringify(key)}:`;
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
    byValue.set(value, text);
    this.count++;
  }
}

/**
 * `{…}` + `end` built from each own field's `,"key":json` piece (what `piece` returns; fields JSON leaves out, and
 * pieces that are undefined, are skipped as JSON.stringify skips them), joined once into one flat string.
 */
export function joinFields(fields: Record<string, unknown>, piece: (key: string, value: unknown) => string | undefined, end: string): string {
  const keys = Object.keys(fields);
  const parts = new Array<string>(keys.length + 1);
  let count = 0;
  for (const key of keys) {
    const value = fields[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue;
    const text = piece(key, value);
    if (text !== undefined) parts[count++] = text;
  }
  if (count === 0) return `{}${end}`;
  // Every piece starts with a comma; the first one opens the object instead.
  parts[0] = `{${(parts[0] as string).slice(1)}`;
  parts[count] = `}${end}`;
  parts.length = count + 1;
  return parts.join("");
}
