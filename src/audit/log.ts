import { statSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";
import { isSensitiveKey, redactValue } from "../executor/index.js";
import { AuditWriteError, describeError } from "./errors.js";
import { GeneralStream } from "./general.js";
import { MutationStream } from "./mutations.js";
import type { AuditLog, AuditLogOptions, AuditRecord, IntentRecord, ResultRecord, StepOutcome } from "./types.js";
import { FieldTextCache, RecordJoiner, flat, isEmptyArray, isNumbersObject, jsonFieldPrefix, numbersJson } from "../json-field.js";

export const MUTATION_DEFAULTS = { keepDays: 90, keepCount: 10_000, segmentBytes: 4 * 1024 * 1024 } as const;

/** Version of the mutation stream's line format. */
const FORMAT = 1;

/** audit.jsonl → audit.mutations.jsonl; a path without an extension gets `.mutations` appended. */
export function defaultMutationsPath(generalPath: string): string {
  const ext = extname(generalPath);
  return ext === "" ? `${generalPath}.mutations` : `${generalPath.slice(0, -ext.length)}.mutations${ext}`;
}

/** A step's outcome fields only (undefined ones vanish in JSON). */
function outcomeOf(step: StepOutcome): StepOutcome {
  const { code, signal, timedOut, durationMs, stdoutDigest, stderrDigest } = step;
  return { code, signal, timedOut, durationMs, stdoutDigest, stderrDigest };
}

function serialize(path: string, value: unknown): string | AuditWriteError {
  try {
    return JSON.stringify(redactValue(value));
  } catch (error) {
    return new AuditWriteError(path, `record is not serializable: ${describeError(error)}`, { cause: error });
  }
}

/** `,"field":json` (redacted) of frozen values, by the field they were found in (redaction reads field names). */
const frozenFields = new WeakMap<object, { readonly field: string; readonly text: string }>();

/** `,"field":json` (redacted) of short strings, by field then value: kind, status, decision, risk repeat line after line. */
const shortStrings = new FieldTextCache(1024);
const SHORT = 64;
/** Fields whose value is new on every line: caching them would only push out the values that repeat. */
const UNIQUE_FIELDS = new Set(["ts", "operationId"]);

/**
 * Strings that redaction provably leaves as they are (see stringText): a UUID in lower-case hex (operation ids)
 * and an ISO-8601 instant in UTC (times), e.g. 2026-01-01T00:00:00.000Z. Neither can hold a letter beyond a–f,
 * T and Z, so no secret-looking word, token prefix or key=value pair fits in them, and neither needs escaping in
 * JSON. Checked character by character: a regular expression was a tenth of an audit line's cost.
 */
function isVerbatim(value: string): boolean {
  return value.length === 36 ? isLowerHexUuid(value) : isUtcInstant(value);
}

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

/** 1 at the char codes of 0-9 and a-f. */
const LOWER_HEX = new Uint8Array(128);
for (const char of "0123456789abcdef") LOWER_HEX[char.charCodeAt(0)] = 1;

function isLowerHexUuid(value: string): boolean {
  // The dashes first, then one table look-up per digit: half the cost of range tests on every character.
  if (value.charCodeAt(8) !== 45 || value.charCodeAt(13) !== 45 || value.charCodeAt(18) !== 45 || value.charCodeAt(23) !== 45) return false;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const code = value.charCodeAt(i);
    if (code > 127 || LOWER_HEX[code] !== 1) return false;
  }
  return true;
}

/** yyyy-mm-ddThh:mm:ss, then an optional fraction of 1 to 9 digits, then Z. */
const INSTANT_SHAPE = "dddd-dd-ddTdd:dd:dd";

function isUtcInstant(value: string): boolean {
  const length = value.length;
  if (length < 20 || length > 30 || value.charCodeAt(length - 1) !== 90) return false;
  for (let i = 0; i < INSTANT_SHAPE.length; i++) {
    const code = value.charCodeAt(i);
    const shape = INSTANT_SHAPE.charCodeAt(i);
    if (shape === 100 ? !isDigit(code) : code !== shape) return false;
  }
  const fraction = length - 1 - INSTANT_SHAPE.length;
  if (fraction === 0) return true;
  if (fraction < 2 || value.charCodeAt(INSTANT_SHAPE.length) !== 46) return false;
  for (let i = INSTANT_SHAPE.length + 1; i < length - 1; i++) if (!isDigit(value.charCodeAt(i))) return false;
  return true;
}

/**
 * A plain object holding only numbers under names that are not credential-like (a record's timings): redaction
 * leaves it as it is (it masks numbers only under such names, and strings), so it needs no walk.
 */
function onlySafeNumbers(value: object): value is Record<string, number> {
  if (!isNumbersObject(value)) return false;
  for (const key of Object.keys(value)) if (isSensitiveKey(key)) return false;
  return true;
}

/**
 * One field of a record as `,"field":json`, redacted, or undefined when JSON leaves it out; a frozen object or
 * array, or a short string, is redacted and serialized once (with its field name: one piece of the line).
 */
function fieldText(field: string, value: unknown): string | undefined {
  if (typeof value === "string") return stringText(field, value);
  if (value === null || typeof value !== "object") return withPrefix(field, redactedJson(field, value));
  if (isEmptyArray(value)) return `${jsonFieldPrefix(field)}[]`;
  if (!Object.isFrozen(value)) return withPrefix(field, onlySafeNumbers(value) ? numbersJson(value) : redactedJson(field, value));
  const cached = frozenFields.get(value);
  if (cached?.field === field) return cached.text;
  const text = withPrefix(field, redactedJson(field, value));
  if (text !== undefined) frozenFields.set(value, { field, text: flat(text) });
  return text;
}

function stringText(field: string, value: string): string | undefined {
  if (value.length <= SHORT && !UNIQUE_FIELDS.has(field)) {
    const known = shortStrings.get(field, value);
    if (known !== undefined) return known;
    const text = withPrefix(field, redactedJson(field, value));
    if (text !== undefined) shortStrings.set(field, value, text);
    return text;
  }
  if (isVerbatim(value) && !isSensitiveKey(field)) return `${jsonFieldPrefix(field)}"${value}"`;
  return withPrefix(field, redactedJson(field, value));
}

function withPrefix(field: string, json: string | undefined): string | undefined {
  return json === undefined ? undefined : jsonFieldPrefix(field) + json;
}

function redactedJson(field: string, value: unknown): string | undefined {
  return JSON.stringify((redactValue({ [field]: value }) as Record<string, unknown>)[field]);
}

/**
 * Values that recur as they are (see FieldWriter.repeats): frozen objects, the short strings stringText keeps,
 * null, booleans and empty arrays. Redaction of a run's text depends only on its fields and values, which the
 * run is found again by.
 */
function repeats(field: string, value: unknown): boolean {
  if (typeof value === "string") return value.length <= SHORT && !UNIQUE_FIELDS.has(field);
  if (typeof value === "object") return value === null || Object.isFrozen(value) || isEmptyArray(value);
  return typeof value === "boolean";
}

const lines = new RecordJoiner({ piece: fieldText, repeats });

/**
 * A general-stream line, newline included: the same JSON as `JSON.stringify(redactValue(record))`, built
 * field by field so the parts every operation on a memoized plan shares (plan, request summary, target:
 * frozen, and the statuses beside them) are redacted and serialized once, not at every line.
 */
function recordLine(path: string, record: AuditRecord): string | AuditWriteError {
  const fields = record as unknown as Record<string, unknown>;
  // Redaction that looks at the record as a whole (a Secret, a {name, value} entry): take the general path.
  if (fields["kind"] === "Secret" || "name" in fields || "key" in fields) {
    const json = serialize(path, record);
    return typeof json === "string" ? `${json}\n` : json;
  }
  try {
    // Joined once: one flat line, not a chain of concatenations to flatten when it is encoded.
    return lines.join(fields, "\n");
  } catch (error) {
    return new AuditWriteError(path, `record is not serializable: ${describeError(error)}`, { cause: error });
  }
}

class FileAuditLog implements AuditLog {
  constructor(
    private readonly general: GeneralStream,
    private readonly mutations: MutationStream,
    private readonly now: () => number,
  ) {}

  get path(): string {
    return this.general.path;
  }

  get mutationsPath(): string {
    return this.mutations.path;
  }

  append(record: AuditRecord): Promise<void> {
    const line = recordLine(this.general.path, record);
    return typeof line === "string" ? this.general.write(line) : Promise.reject(line);
  }

  intent(record: IntentRecord): Promise<void> {
    if (record.operationId === "" || record.argv.length === 0 || record.argv.some((step) => step.length === 0)) {
      return Promise.reject(new AuditWriteError(this.mutations.path, "an intent needs an operationId and a non-empty argv for every step"));
    }
    return this.writeMutation("intent", record);
  }

  result(record: ResultRecord): Promise<void> {
    if (record.operationId === "") return Promise.reject(new AuditWriteError(this.mutations.path, "a result needs the operationId of its intent"));
    // Only the outcome fields: a caller handing over its step objects must not put command output on disk.
    const steps = record.steps.map(outcomeOf);
    return this.writeMutation("result", { ...record, steps });
  }

  async assertWritable(): Promise<void> {
    this.general.assertWritable();
    this.mutations.assertWritable();
  }

  async close(): Promise<void> {
    const deleted = this.general.close();
    await this.mutations.close();
    await deleted;
  }

  private writeMutation(type: "intent" | "result", record: IntentRecord | ResultRecord): Promise<void> {
    // The fixed fields come first in the line and cannot be overridden by a field of the record; seq and
    // writer are the stream's own, put in front when the line is written.
    const fixed = { v: FORMAT, record: type, ts: new Date(this.now()).toISOString(), pid: process.pid };
    const { seq: _seq, writer: _writer, ...fields } = record as unknown as Record<string, unknown>;
    const line = serialize(this.mutations.path, { ...fixed, ...fields, ...fixed });
    return typeof line === "string" ? this.mutations.write(line) : Promise.reject(line);
  }
}

/** A device or pipe: no place to put a second file beside. Errors (no such path yet) say no. */
function isNotRegularFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() === false;
  } catch {
    return false;
  }
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
}

/**
 * Opens (creating them and their folders, mode 0600/0700) the general stream at `options.path` and the
 * mutation stream beside it, pruning mutation segments retention lets go.
 */
export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  checkCount("maxBytes", options.maxBytes, 1);
  checkCount("retain", options.retain, 0);
  const settings = {
    keepDays: options.mutations?.keepDays ?? MUTATION_DEFAULTS.keepDays,
    keepCount: options.mutations?.keepCount ?? MUTATION_DEFAULTS.keepCount,
    segmentBytes: options.mutations?.segmentBytes ?? MUTATION_DEFAULTS.segmentBytes,
  };
  checkCount("mutations.keepDays", settings.keepDays, 0);
  checkCount("mutations.keepCount", settings.keepCount, 0);
  checkCount("mutations.segmentBytes", settings.segmentBytes, 1);
  const path = resolve(options.path);
  if (options.mutations?.path === undefined && isNotRegularFile(path)) {
    throw new RangeError(`the audit path ${path} is not a regular file: give mutations.path, the mutation stream's own file`);
  }
  const mutationsPath = resolve(options.mutations?.path ?? defaultMutationsPath(path));
  if (mutationsPath === path) throw new RangeError(`the mutation stream needs its own file, not the general stream's ${path}`);
  const now = options.now ?? Date.now;
  let general: GeneralStream | undefined;
  let current = path;
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    general = new GeneralStream(path, options.maxBytes, options.retain);
    current = mutationsPath;
    await mkdir(dirname(mutationsPath), { recursive: true, mode: 0o700 });
    return new FileAuditLog(general, new MutationStream(mutationsPath, settings, now), now);
  } catch (error) {
    void general?.close();
    throw new AuditWriteError(current, describeError(error), { cause: error });
  }
}
