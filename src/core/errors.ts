import type { z } from "zod";

export interface FieldIssue {
  /** Dot path of the failing field, e.g. "params.replicas"; "" for the request as a whole. */
  readonly path: string;
  readonly message: string;
}

/** The request itself is malformed: HTTP 400, CLI exit 2, nothing planned or executed. */
export class RequestValidationError extends Error {
  override readonly name = "RequestValidationError";
  constructor(readonly issues: readonly FieldIssue[]) {
    super(`invalid request: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`);
  }

  static fromZod(error: z.ZodError): RequestValidationError {
    return new RequestValidationError(
      error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
    );
  }
}

export function parseWith<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw RequestValidationError.fromZod(result.error);
  return result.data;
}
