import type { AuditLog, IntentRecord, StepOutcome } from "../audit/index.js";
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
  /**
   * Runs a validated, approved plan step by step; a failed mutation stops the plan. A plan that is not
   * read-only (dry runs included) is recorded first: its intent is durably in the audit log before the
   * executor sees anything, and its result after (also when a step throws).
   */
  execute(plan: Plan, validation: PlanValidation, dryRun: boolean, mutation: MutationRecord, output?: OutputOptions): Promise<Executed>;
  /**
   * One read-only lookup (a card's `resolve` values, the goal inventory); recorded in `records` when it ran.
   * `namespace` is the one the lookup must stay in; undefined for cluster-wide reads.
   */
  lookup(argv: readonly string[], namespace: string | undefined, records: Lookup[]): Promise<LookupOutcome>;
  /**
   * One read-only call outside a plan (the health scan's lists): allowed, read-only and unchanged by the
   * policy's parse, or refused; it gets the whole output (no budget, a large window) because its caller
   * parses it rather than showing it.
   */
  read(argv: readonly string[], namespace: string | undefined): Promise<LookupOutcome>;
}

/** What the pipeline knows about a mutation; the gate adds target, argv, decision, risk and dryRun itself. */
export type MutationRecord = Pick<IntentRecord, "operationId" | "kind" | "request" | "approval" | "planner">;

export interface Executed {
  readonly steps: StepResult[];
  /** The mutation ran but its result record could not be written (its intent stays open: `audit verify` reports it). */
  readonly auditFailure?: string;
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
  /** Where commands go, as audit records name it: "sandbox" or "<context>@<kubeconfig>". */
  readonly targetId: string;
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
    async execute(plan, validation, dryRun, mutation, output = {}) {
      // Re-checked here so that no caller can hand an executor anything policy did not validate as planned.
      for (const [step, verdict] of validation.steps.entries()) {
        const rendered = plan.steps[step];
        if (verdict.decision === "deny" || rendered === undefined || !sameArgv(rendered, verdict.argv)) {
          throw new GateRefusal(`step ${step + 1} of the plan is not the command policy validated; nothing ran`);
        }
      }
      const prepared = runnable(validation, dryRun);
      if ("message" in prepared) throw new GateRefusal(prepared.message);
      const { readOnly, decision, risk } = validation.summary;
      const argvs = prepared.argvs.map(withTarget);
      const steps: StepResult[] = [];
      let started = 0;
      const runSteps = async (): Promise<StepResult[]> => {
        for (const [index, argv] of argvs.entries()) {
          started++;
          const result = await deps.executor.run(argv, output);
          steps.push(stepResult(prepared.argvs[index] ?? argv, result));
          // Diagnostic reads still tell something after a failed step; a failed mutation stops the plan.
          if (result.code !== 0 && !readOnly) break;
        }
        return steps;
      };
      if (readOnly) return { steps: await runSteps() };
      // Write-ahead: a mutation whose intent cannot be recorded does not run (the AuditWriteError propagates).
      await deps.audit.intent({ ...mutation, target: deps.targetId, argv: argvs, decision, risk, dryRun });
      try {
        await runSteps();
      } catch (error) {
        // Once the executor was handed a step, it may have changed something: "failed", never "not_started".
        const status = started > 0 ? "failed" : "not_started";
        await deps.audit.result({ operationId: mutation.operationId, status, steps: steps.map(outcomeOf), error: errorMessage(error) }).catch(() => {});
        throw error;
      }
      const failed = steps.some((s) => s.code !== 0);
      const status = failed ? "failed" : dryRun ? "dry_run" : "succeeded";
      try {
        await deps.audit.result({ operationId: mutation.operationId, status, steps: steps.map(outcomeOf) });
        return { steps };
      } catch (error) {
        return { steps, auditFailure: `it ran, but its result could not be written to the audit log: ${errorMessage(error)}` };
      }
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function outcomeOf(step: StepResult): StepOutcome {
  return {
    code: step.code,
    signal: step.signal,
    timedOut: step.timedOut,
    durationMs: step.durationMs,
    stdoutDigest: step.stdoutDigest,
    stderrDigest: step.stderrDigest,
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
    executor: result.executor ?? "kubectl",
  };
}
