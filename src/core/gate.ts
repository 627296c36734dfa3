import type { AuditLog } from "../audit/index.js";
import type { ExecResult, Executor, RunOverrides } from "../executor/index.js";
import { quoteArgv, serverDryRunArgv, validateCommand } from "../policy/index.js";
import type { Policy } from "../policy/index.js";
import type { Plan } from "../planner/index.js";
import { RagK8sError } from "./errors.js";
import type { Lookup, StepResult } from "./response.js";
import { sameArgv } from "./validate-plan.js";
import type { PlanValidation } from "./validate-plan.js";

/**
 * The one way out of the process. Everything that reaches an Executor passes here: plan steps and the
 * read-only lookups cards make while planning. The gate re-checks that each argv is exactly what the policy
 * engine validated, refuses a mutation the audit log could not record, and adds the target arguments
 * (--context) itself, after validation, so no plan can choose them. An executor (kubectl child processes
 * today, a direct API client tomorrow) only ever sees what the gate hands it.
 */
export interface Gate {
  /** The argv each step would run: what policy validated, or its --dry-run=server form; a message when one cannot dry-run. */
  runnable(validation: PlanValidation, dryRun: boolean): { readonly argvs: readonly (readonly string[])[] } | { readonly message: string };
  /** Runs a validated, approved plan step by step; a failed mutation stops the plan. */
  execute(plan: Plan, validation: PlanValidation, dryRun: boolean, output?: OutputOptions): Promise<StepResult[]>;
  /** One read-only lookup for a card's `resolve` values; recorded in `records` when it ran. */
  lookup(argv: readonly string[], namespace: string, records: Lookup[]): Promise<LookupOutcome>;
  /**
   * One read-only call outside a plan (the health scan's lists): allowed, read-only and unchanged by the
   * policy's parse, or refused; it gets the whole output (no budget, a large window) because its caller
   * parses it rather than showing it.
   */
  read(argv: readonly string[], namespace: string | undefined): Promise<LookupOutcome>;
}

/** How a plan's output reaches its reader: the stdout budget, and live output for a person at a terminal. */
export type OutputOptions = Pick<RunOverrides, "budgetChars" | "onOutput">;

/** A read whose caller parses the answer: all of it, up to 64 MiB. */
const WHOLE_READ: RunOverrides = { budgetChars: Number.POSITIVE_INFINITY, windowChars: 64 << 20 };

export type LookupOutcome =
  | { readonly ok: true; readonly result: ExecResult }
  | { readonly ok: false; readonly status: "denied"; readonly message: string };

export interface GateDeps {
  readonly policy: Policy;
  readonly executor: Executor;
  readonly audit: AuditLog;
  /** Target/identity arguments rag-k8s adds after validation (e.g. --context), never taken from a plan. */
  readonly targetArgs: readonly string[];
}

/** A step that is not exactly what policy validated as planned: never handed to an executor. */
export class GateRefusal extends RagK8sError {
  override readonly name = "GateRefusal";
  constructor(message: string) {
    super("policy", message);
  }
}

export function createGate(deps: GateDeps): Gate {
  const withTarget = (argv: readonly string[]): string[] => {
    const [binary = "", ...rest] = argv;
    return [binary, ...deps.targetArgs, ...rest];
  };

  function runnable(validation: PlanValidation, dryRun: boolean): { argvs: (readonly string[])[] } | { message: string } {
    if (!dryRun) return { argvs: validation.steps.map((v) => v.argv) };
    const argvs: (readonly string[])[] = [];
    for (const verdict of validation.steps) {
      if (verdict.readOnly) {
        argvs.push(verdict.argv);
        continue;
      }
      const dry = verdict.parsed ? serverDryRunArgv(verdict.parsed) : null;
      if (!dry) return { message: `kubectl cannot dry-run "${verdict.argv.slice(0, 3).join(" ")}" on the server; the plan was validated but not executed` };
      argvs.push(dry);
    }
    return { argvs };
  }

  /** A call the policy allows as read-only exactly as given; its whole output (a lookup in a large namespace must not fail). */
  async function readOnly(argv: readonly string[], namespace: string | undefined, what: string): Promise<LookupOutcome> {
    const command = quoteArgv(argv);
    const verdict = validateCommand(command, deps.policy, namespace === undefined ? {} : { namespace });
    if (verdict.decision !== "allow" || !verdict.readOnly || !sameArgv(verdict.argv, argv)) {
      const why = verdict.reasons.map((r) => r.message).join("; ") || (verdict.readOnly ? "it parses to a different command" : "it is not read-only");
      return { ok: false, status: "denied", message: `policy refused the ${what} "${command}": ${why}` };
    }
    return { ok: true, result: await deps.executor.run(withTarget(verdict.argv), WHOLE_READ) };
  }

  return {
    runnable,
    async execute(plan, validation, dryRun, output = {}) {
      // Re-checked here so that no caller can hand an executor anything policy did not validate as planned.
      for (const [step, verdict] of validation.steps.entries()) {
        const rendered = plan.steps[step];
        if (verdict.decision === "deny" || rendered === undefined || !sameArgv(rendered, verdict.argv)) {
          throw new GateRefusal(`step ${step + 1} of the plan is not the command policy validated; nothing ran`);
        }
      }
      const prepared = runnable(validation, dryRun);
      if ("message" in prepared) throw new GateRefusal(prepared.message);
      const readOnly = validation.summary.readOnly;
      // A mutation that cannot be audited does not run.
      if (!readOnly && !dryRun) await deps.audit.assertWritable();
      const results: StepResult[] = [];
      for (const argv of prepared.argvs) {
        const result = await deps.executor.run(withTarget(argv), output);
        results.push(stepResult(argv, result));
        // Diagnostic reads still tell something after a failed step; a failed mutation stops the plan.
        if (result.code !== 0 && !readOnly) break;
      }
      return results;
    },
    async lookup(argv, namespace, records) {
      const outcome = await readOnly(argv, namespace, "lookup");
      if (outcome.ok) {
        const { result } = outcome;
        records.push({ argv, code: result.code, timedOut: result.timedOut, durationMs: result.durationMs, stdoutDigest: result.stdoutDigest });
      }
      return outcome;
    },
    read: (argv, namespace) => readOnly(argv, namespace, "read"),
  };
}

function stepResult(argv: readonly string[], result: ExecResult): StepResult {
  return {
    argv,
    code: result.code,
    signal: result.signal,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    stdout: result.stdout,
    stderr: result.stderr,
    truncated: result.truncated,
    ...(result.stdoutKind ? { stdoutKind: result.stdoutKind } : {}),
    stdoutOmitted: result.stdoutOmitted ?? null,
    stdoutDigest: result.stdoutDigest,
    stderrDigest: result.stderrDigest,
  };
}
