import { quoteArgv } from "../../policy/index.js";
import type { Gate } from "../gate.js";
import type { Lookup } from "../response.js";
import { ResolveError } from "./errors.js";

export interface LookupDeps {
  /** Lookups go through the same gate as plan steps. */
  readonly gate: Gate;
}

function firstLine(text: string): string {
  const line = text.trim().split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Runs one read-only kubectl lookup through the gate: the policy engine parses it, it must be allowed without
 * confirmation, read-only, and parse to exactly this argv; the executor runs it with its timeout and output
 * caps. Every call is recorded.
 */
export async function runLookup(deps: LookupDeps, argv: readonly string[], namespace: string, records: Lookup[]): Promise<string> {
  const outcome = await deps.gate.lookup(argv, namespace, records);
  if (!outcome.ok) throw new ResolveError(outcome.status, outcome.message);
  const { result } = outcome;
  const command = quoteArgv(argv);
  if (result.timedOut) throw new ResolveError("failed", `the lookup "${command}" timed out after ${Math.round(result.durationMs)} ms`);
  if (result.code !== 0) {
    throw new ResolveError("failed", `the lookup "${command}" exited with ${result.code ?? result.signal}${result.stderr.trim() ? `: ${firstLine(result.stderr)}` : ""}`);
  }
  if (result.truncated.stdout) {
    throw new ResolveError("failed", `the output of the lookup "${command}" is larger than exec.maxStdoutChars; raise that limit to look up in this namespace`);
  }
  return result.stdout;
}
