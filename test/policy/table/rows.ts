import type { RiskLevel } from "../../../src/cards/index.js";
import type { ReasonCode, ServerModes } from "../../../src/policy/index.js";

interface Common {
  /** Where the row is listed in the test output. */
  readonly section: string;
  readonly command: string;
  /** ValidateOptions.namespace: the namespace the request is for. */
  readonly namespace?: string;
  /** Server modes applied to the bundled policy for this row (withServerModes). */
  readonly modes?: ServerModes;
}

/**
 * One row of the policy table: a command and the verdict the bundled policy must give it. A denial names
 * the first reason's code (and may pin the first suggestion); an allow or a confirmation names the risk, and
 * then its argv must be the command's tokens and its only reason (for a confirmation) NEEDS_CONFIRMATION.
 */
export type Case = Common &
  (
    | { readonly decision: "deny"; readonly code: ReasonCode; readonly suggestion?: string }
    | { readonly decision: "allow" | "confirm"; readonly risk: RiskLevel }
  );

interface Extra {
  readonly namespace?: string;
  readonly modes?: ServerModes;
}
type Row = Case extends infer C ? (C extends Case ? Omit<C, "section"> : never) : never;

export const allow = (command: string, risk: RiskLevel = "none", extra: Extra = {}): Row => ({ command, decision: "allow", risk, ...extra });
export const confirm = (command: string, risk: RiskLevel, extra: Extra = {}): Row => ({ command, decision: "confirm", risk, ...extra });
export const deny = (command: string, code: ReasonCode, extra: Extra & { readonly suggestion?: string } = {}): Row => ({ command, decision: "deny", code, ...extra });
export const section = (name: string, rows: readonly Row[]): Case[] => rows.map((row) => ({ section: name, ...row }));
