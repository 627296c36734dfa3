import { EXIT } from "./exit-codes.js";

/** Bad command-line input: printed without a stack trace, exit code 2, nothing executed. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

interface Classified {
  readonly code: number;
  readonly message: string;
}

const USAGE_ERRORS = new Set([
  "UsageError",
  "RequestValidationError",
  "CardLoadError",
  "CardRenderError",
  "ConfigError",
  "PolicyLoadError",
  "EmptyQueryError",
  "EmbeddingModelMissingError",
  "TemplateSyntaxError",
  "EvalSetError",
]);

/** Maps an error to an exit code and a message that says what to fix. */
export function classifyError(error: unknown): Classified {
  if (error instanceof Error) {
    if (USAGE_ERRORS.has(error.name) || USAGE_ERRORS.has(error.constructor.name)) {
      return { code: EXIT.usage, message: error.message };
    }
    // Environment problems the user can fix: a missing binary or model, an unreachable model server.
    if (/^(BinaryNotFound|ForbiddenBinary|Llm|Model|HttpConfig)/.test(error.name)) {
      return { code: EXIT.failed, message: error.message };
    }
    if (error.name === "AuditWriteError" || error.constructor.name === "AuditWriteError") {
      return { code: EXIT.failed, message: `${error.message} (a mutation that cannot be audited does not run)` };
    }
    return { code: EXIT.internal, message: error.stack ?? error.message };
  }
  return { code: EXIT.internal, message: String(error) };
}

/** Structured issues of a validation error, for --json output. */
export function errorIssues(error: unknown): unknown {
  if (error && typeof error === "object") {
    for (const key of ["issues", "problems"]) {
      if (key in error) return (error as Record<string, unknown>)[key];
    }
  }
  return undefined;
}
