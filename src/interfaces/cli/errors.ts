import type { ErrorKind } from "../../core/errors.js";
import { EXIT } from "./exit-codes.js";

export { UsageError } from "../../core/errors.js";

/** The exit code each kind of failure ends the process with. */
export const EXIT_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  usage: EXIT.usage,
  input: EXIT.usage,
  environment: EXIT.failed,
  policy: EXIT.deny,
  internal: EXIT.internal,
};

export interface DescribedError {
  readonly code: number;
  readonly message: string;
  readonly issues?: readonly unknown[];
}

/** Maps an error to an exit code and a message that says what to fix (only internal errors keep their stack). */
export async function describeError(error: unknown): Promise<DescribedError> {
  // Loaded on the error path only: the classification knows every stage's errors.
  const { classifyError } = await import("../../app/errors.js");
  const failure = classifyError(error);
  return { code: EXIT_BY_KIND[failure.kind], message: failure.message, ...(failure.issues ? { issues: failure.issues } : {}) };
}
