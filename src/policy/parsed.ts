import type { Reason } from "./reasons.js";

export interface ResourceRef {
  /** Canonical plural, e.g. "deployments". */
  readonly resource: string;
  readonly name: string | null;
}

export interface ParsedCommand {
  readonly binary: string;
  /** Verb id, e.g. "get", "rollout restart", "top pod", "flux reconcile". */
  readonly verb: string;
  readonly readOnly: boolean;
  /** Canonical resources (plural), e.g. ["deployments"]; several for `get secret,pods`. */
  readonly resources: readonly string[];
  readonly refs: readonly ResourceRef[];
  readonly names: readonly string[];
  readonly namespace: string | null;
  readonly allNamespaces: boolean;
  readonly selector: string | null;
  /** Long flag name → value; boolean flags map to true/false. `namespace` holds the last one given. */
  readonly flags: ReadonlyMap<string, string | boolean>;
  /** Positionals that are neither verb, resource nor name (annotation `key=value`, a logs container). */
  readonly args: readonly string[];
  readonly output: string | null;
  readonly dryRun: string | null;
  /** Index in argv of a `--` that ends the flags, or null. */
  readonly endOfFlags: number | null;
  /** The tokens, exactly as they would be passed to the process (binary first). */
  readonly argv: readonly string[];
}

export type ParseResult = { readonly ok: true; readonly parsed: ParsedCommand } | { readonly ok: false; readonly reasons: Reason[] };

/** Thrown inside the parser only; parseCommand turns it into a result. */
export class ParseFailure extends Error {
  constructor(readonly reason: Reason) {
    super(reason.message);
  }
}

export const fail = (code: Reason["code"], message: string): never => {
  throw new ParseFailure({ code, message });
};
