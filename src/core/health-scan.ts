import { z } from "zod";
import { isDns1123Label } from "../kube/index.js";
import { diagnose } from "../health/index.js";
import { parseWith } from "./errors.js";
import type { DiagnoseOptionsInput, HealthReport, NextOperation, ReadFn } from "../health/index.js";
import type { Decision, Lookup } from "./response.js";
import type { Gate } from "./gate.js";

/** What to scan: one namespace or all of them, and the token budget of the answer. */
export const HealthScopeSchema = z
  .object({
    namespace: z.string().max(63).refine(isDns1123Label, "must be a DNS-1123 label").optional().describe("scan this namespace"),
    allNamespaces: z.boolean().optional().describe("scan every namespace and the nodes"),
    budgetTokens: z.number().int().min(300).max(100_000).optional().describe("token budget of the answer (default 2000); findings that do not fit are counted"),
  })
  .strict()
  .refine((input) => (input.namespace === undefined) === (input.allNamespaces === true), {
    path: ["namespace"],
    message: "give either namespace or allNamespaces: true",
  });
export type HealthScope = z.input<typeof HealthScopeSchema>;

export interface HealthScanDeps {
  readonly gate: Gate;
  /** The policy's answer for each fix the report offers, planned without running (see Pipeline.decide). */
  readonly decide: (request: NextOperation["request"], reads: Lookup[]) => Promise<Decision | null>;
  /** Whether the flux CLI is installed (its cards are then the ones a next operation names). */
  readonly flux: boolean;
}

export interface HealthScan {
  /** The report, and the read-only calls it made (for the audit line). */
  (scope: HealthScope): Promise<{ readonly report: HealthReport; readonly reads: readonly Lookup[] }>;
}

/**
 * The health scan as rag-k8s runs it: every list call goes through the gate's read (policy-checked,
 * read-only, unchanged, target arguments added by the gate), and every fix it offers is planned first so
 * that a fix the policy denies is never suggested. `reads` lists every call it made, for one audit line.
 */
export function createHealthScan(deps: HealthScanDeps): HealthScan {
  return async (input) => {
    // Library callers reach this without a face's validation: a bad scope is an input error before any read.
    const scope = parseWith(HealthScopeSchema, input);
    const reads: Lookup[] = [];
    const read: ReadFn = async (argv) => {
      const outcome = await deps.gate.read(argv, scope.namespace);
      if (!outcome.ok) throw new Error(outcome.message);
      const { result } = outcome;
      reads.push({ argv, code: result.code, timedOut: result.timedOut, durationMs: result.durationMs, stdoutDigest: result.stdoutDigest });
      return { code: result.code, stdout: result.stdout, stderr: result.stderr };
    };
    // A fix that does not plan to one operation is not offered, like one the policy denies.
    const decide = async (op: NextOperation): Promise<Decision> => (await deps.decide(op.request, reads)) ?? "deny";
    const options: DiagnoseOptionsInput = {
      ...(scope.namespace !== undefined ? { namespace: scope.namespace } : { allNamespaces: true }),
      ...(scope.budgetTokens !== undefined ? { budgetTokens: scope.budgetTokens } : {}),
      flux: deps.flux,
    };
    const report = await diagnose(read, options, { decide });
    return { report, reads };
  };
}
