import type { RiskLevel } from "./risk.js";
import { Denied, checkModes, checkResources, checkScope, checkTargets, checkVerb, checkWrites } from "./checks.js";
import type { Policy } from "./compile.js";
import { parseCommand } from "./parse.js";
import type { ParsedCommand } from "./parsed.js";
import { REASON } from "./reasons.js";
import type { Reason } from "./reasons.js";
import { computeRisk, isMassChange } from "./risk.js";
import { VERBS } from "./spec.js";

export type Decision = "allow" | "confirm" | "deny";

export interface Validation {
  readonly decision: Decision;
  /** From the parsed command; "high" when the command cannot be read at all. */
  readonly risk: RiskLevel;
  readonly readOnly: boolean;
  readonly reasons: readonly Reason[];
  readonly suggestions: readonly string[];
  /** The exact argv that may run (binary first); empty when denied. */
  readonly argv: readonly string[];
  readonly parsed?: ParsedCommand;
}

export interface ValidateOptions {
  /** The namespace the caller means: a command naming another one, or all of them, is denied. */
  readonly namespace?: string;
}

/**
 * Parses the command and decides allow / confirm / deny from what it says, never from what anyone claims.
 * Server modes (read-only, no destructive changes, denied kinds) travel with the policy: see withServerModes.
 */
export function validateCommand(command: string, policy: Policy, options: ValidateOptions = {}): Validation {
  const result = parseCommand(command, policy.binaries);
  if (!result.ok) return { decision: "deny", risk: "high", readOnly: false, reasons: result.reasons, suggestions: [], argv: [] };
  const parsed = result.parsed;
  const risk = computeRisk(parsed);
  try {
    checkVerb(parsed, policy);
    checkModes(parsed, policy);
    checkResources(parsed, policy);
    checkTargets(parsed);
    const rule = checkScope(parsed, policy, options.namespace);
    checkWrites(parsed, policy);
    const reasons: Reason[] = [];
    if (policy.confirmRisks.has(risk)) reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: `risk is ${risk}` });
    else if (policy.confirmVerbs.has(parsed.verb)) reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: `"${parsed.verb}" always needs confirmation` });
    else if (isMassChange(parsed)) {
      // Whatever the policy's risk list: what such a change touches is only known once it runs.
      reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: "the objects it changes are chosen on the server (selector, whole kind or several kinds)" });
    } else if (rule.confirmMutations && !parsed.readOnly) {
      reasons.push({ code: REASON.NEEDS_CONFIRMATION, message: `changes in ${parsed.namespace ?? "the cluster"} need confirmation` });
    }
    return { decision: reasons.length ? "confirm" : "allow", risk, readOnly: parsed.readOnly, reasons, suggestions: [], argv: parsed.argv, parsed };
  } catch (error) {
    if (!(error instanceof Denied)) throw error;
    return { decision: "deny", risk, readOnly: parsed.readOnly, reasons: [error.reason], suggestions: error.suggestions, argv: [], parsed };
  }
}

/**
 * The argv with `--dry-run=server` when kubectl 1.31 can dry-run this verb on the server, else null (reads,
 * flux, and `rollout restart|pause|resume`, which have no --dry-run). A command that already asks for a
 * client or no dry-run gets null rather than two conflicting flags.
 */
export function serverDryRunArgv(parsed: ParsedCommand): string[] | null {
  if (parsed.readOnly || !VERBS.get(parsed.verb)?.serverDryRun) return null;
  if (parsed.dryRun === "server") return [...parsed.argv];
  if (parsed.dryRun !== null) return null;
  const at = parsed.endOfFlags ?? parsed.argv.length;
  return [...parsed.argv.slice(0, at), "--dry-run=server", ...parsed.argv.slice(at)];
}
