import type { z } from "zod";
import type { FieldIssue } from "../planner/index.js";

export type { FieldIssue } from "../planner/index.js";

/**
 * What kind of failure an error is; each face maps it to its own code (CLI exit code, HTTP status, MCP isError):
 * - usage: the command line or call itself is wrong (unknown flag value, conflicting options);
 * - input: the request, a card, the configuration or a file it names is invalid; nothing ran;
 * - environment: something outside rag-k8s is missing or failing (kubectl, a model, the audit log's disk);
 * - policy: policy refused it;
 * - internal: a bug.
 */
export type ErrorKind = "usage" | "input" | "environment" | "policy" | "internal";

export class RagK8sError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly issues: readonly FieldIssue[] = [],
  ) {
    super(message);
  }
}

/** The request itself is malformed: HTTP 400, CLI exit 2, nothing planned or executed. */
export class RequestValidationError extends RagK8sError {
  override readonly name = "RequestValidationError";
  constructor(issues: readonly FieldIssue[]) {
    super("input", `invalid request: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`, issues);
  }

  static fromZod(error: z.ZodError): RequestValidationError {
    return new RequestValidationError(error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })));
  }
}

/** Bad command-line or call usage: printed without a stack trace, nothing executed. */
export class UsageError extends RagK8sError {
  override readonly name = "UsageError";
  constructor(message: string) {
    super("usage", message);
  }
}

/** Keys that reach an object's prototype when assigned; zod drops them silently, so they are refused first. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Every place in `value` (nested objects and arrays) holding a __proto__, constructor or prototype key. */
export function prototypeKeyIssues(value: unknown, path: readonly string[] = [], depth = 0): FieldIssue[] {
  // The common case (no such key anywhere) allocates nothing; paths are built only for what is found.
  if (!holdsPrototypeKey(value, depth)) return [];
  const issues: FieldIssue[] = [];
  for (const key of Object.keys(value as object)) {
    const at = [...path, key];
    if (PROTOTYPE_KEYS.has(key)) issues.push({ path: at.join("."), message: `"${key}" is not allowed as a key (it names an object's prototype)` });
    issues.push(...prototypeKeyIssues((value as Record<string, unknown>)[key], at, depth + 1));
  }
  return issues;
}

function holdsPrototypeKey(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object" || depth > 32) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (PROTOTYPE_KEYS.has(key) || holdsPrototypeKey((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/**
 * Outputs parseWith produced, per schema: a face validates a body, then hands the result to the runtime,
 * whose pipeline would validate it again. Such an object is passed through as it is; the faces never
 * change what they parsed.
 */
const parsedBy = new WeakMap<z.ZodType, WeakSet<object>>();
/**
 * Outputs for frozen inputs, per schema. A frozen input (the HTTP face's body cache hands out the same
 * frozen value for the same body text) cannot have changed since it was validated, and validation is a
 * pure function of the value, so it is validated once; its output is frozen too, since it is shared.
 */
const frozenOutputs = new WeakMap<z.ZodType, WeakMap<object, unknown>>();

/** Validates external input: a prototype key anywhere is an input error (not dropped), then the schema. */
export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const isObject = typeof input === "object" && input !== null;
  if (isObject) {
    if (parsedBy.get(schema)?.has(input)) return input as z.output<T>;
    const known = Object.isFrozen(input) ? frozenOutputs.get(schema)?.get(input) : undefined;
    if (known !== undefined) return known as z.output<T>;
  }
  const unsafe = prototypeKeyIssues(input);
  if (unsafe.length > 0) throw new RequestValidationError(unsafe);
  const result = schema.safeParse(input);
  if (!result.success) throw RequestValidationError.fromZod(result.error);
  const data: unknown = result.data;
  if (typeof data === "object" && data !== null) {
    let outputs = parsedBy.get(schema);
    if (outputs === undefined) parsedBy.set(schema, (outputs = new WeakSet()));
    outputs.add(data);
    if (isObject && Object.isFrozen(input)) {
      let byInput = frozenOutputs.get(schema);
      if (byInput === undefined) frozenOutputs.set(schema, (byInput = new WeakMap()));
      byInput.set(input, deepFreeze(data));
    }
  }
  return result.data;
}

/** Freezes a JSON-like value and everything in it, so a shared value cannot be changed by one of its readers. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return Object.freeze(value);
}
