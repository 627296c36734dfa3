import type { Executor } from "../../executor/index.js";
import { quoteArgv, validateCommand } from "../../policy/index.js";
import type { Policy } from "../../policy/index.js";
import type { Lookup } from "../response.js";
import { ResolveError } from "./errors.js";

export interface LookupDeps {
  readonly policy: Policy;
  readonly executor: Executor;
  /** Target arguments rag-k8s adds after validation (e.g. --context), as for plan steps. */
  readonly targetArgs: readonly string[];
}

function firstLine(text: string): string {
  const line = text.trim().split("\n", 1)[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

/**
 * Runs one read-only kubectl lookup. It goes through the same gate as a plan step: the policy engine
 * parses it, it must be allowed without confirmation, read-only, and parse to exactly this argv; the
 * executor runs it without a shell and with its timeout and output caps. Every call is recorded.
 */
export async function runLookup(deps: LookupDeps, argv: readonly string[], namespace: string, records: Lookup[]): Promise<string> {
  const command = quoteArgv(argv);
  const verdict = validateCommand(command, deps.policy, { namespace });
  const same = verdict.argv.length === argv.length && verdict.argv.every((a, i) => a === argv[i]);
  if (verdict.decision !== "allow" || !verdict.readOnly || !same) {
    const why = verdict.reasons.map((r) => r.message).join("; ") || (verdict.readOnly ? "it parses to a different command" : "it is not read-only");
    throw new ResolveError("denied", `policy refused the lookup "${command}": ${why}`);
  }
  const [binary = "", ...rest] = verdict.argv;
  const result = await deps.executor.run([binary, ...deps.targetArgs, ...rest]);
  records.push({ argv: verdict.argv, code: result.code, timedOut: result.timedOut, durationMs: result.durationMs, stdoutDigest: result.stdoutDigest });
  if (result.timedOut) throw new ResolveError("failed", `the lookup "${command}" timed out after ${Math.round(result.durationMs)} ms`);
  if (result.code !== 0) {
    throw new ResolveError("failed", `the lookup "${command}" exited with ${result.code ?? result.signal}${result.stderr.trim() ? `: ${firstLine(result.stderr)}` : ""}`);
  }
  if (result.truncated.stdout) {
    throw new ResolveError("failed", `the output of the lookup "${command}" is larger than exec.maxStdoutChars; raise that limit to look up in this namespace`);
  }
  return result.stdout;
}
