/** The audit record could not be written; callers must not run a mutation they cannot audit. */
export class AuditWriteError extends Error {
  override name = "AuditWriteError";
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot write the audit log ${path}: ${reason}`, options);
  }
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code} (${e.message})` : String(e?.message ?? error);
}

/** An audit file exists but could not be read. */
export class AuditReadError extends Error {
  override name = "AuditReadError";
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot read the audit file ${path}: ${describeError(cause)}`, { cause });
  }
}
