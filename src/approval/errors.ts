/** The installation's approval secret cannot be read, created or trusted. */
export class ApprovalSecretError extends Error {
  override name = "ApprovalSecretError";
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`approval secret ${path}: ${reason}`, options);
  }
}

/** The record of used tokens cannot be read or written: no token is redeemed without it. */
export class ApprovalStoreError extends Error {
  override name = "ApprovalStoreError";
  constructor(
    readonly path: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`used-token store ${path}: ${reason}`, options);
  }
}

export function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e?.code ? `${e.code} (${e.message})` : String(e?.message ?? error);
}
