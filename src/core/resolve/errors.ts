/**
 * A looked-up value could not be found. `status` is what the operation reports: needs_input when the
 * cluster has nothing to pick (or there is no cluster to ask), failed when a lookup itself failed, denied
 * when policy refused a lookup.
 */
export class ResolveError extends Error {
  override readonly name = "ResolveError";
  constructor(
    readonly status: "needs_input" | "failed" | "denied",
    message: string,
  ) {
    super(message);
  }
}
