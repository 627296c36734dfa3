/**
 * How a face vouches that a person approved, set by the face's own code and never read from a request:
 * - "terminal-prompt": the person answered y at the CLI's prompt, which showed the plan (its token is passed);
 * - "terminal-flag": the person typed --confirm on the command line;
 * - "elicitation": the person accepted the plan in the MCP client's own dialog (its token is passed).
 */
export type ApprovedBy = "terminal-prompt" | "terminal-flag" | "elicitation";

/** What the audit intent records as the approval. */
export type ApprovalLabel = "token" | "terminal" | "elicitation";

export type ApprovalCheck =
  /** Approved, once `token` (when present) is redeemed for exactly this plan. */
  | { readonly approved: true; readonly label: ApprovalLabel; readonly token?: string }
  | { readonly approved: false; readonly message: string };

export interface ApprovalClaim {
  readonly confirm: boolean;
  readonly confirmToken?: string | undefined;
}

const HUMAN: ReadonlySet<ApprovedBy | undefined> = new Set(["terminal-prompt", "elicitation"]);

/**
 * Whether a request claims an approval that counts, before its token is checked. Over HTTP, MCP and the
 * library `confirm: true` alone is never enough: a model can set a flag, but it cannot make up the token of
 * an awaiting_confirmation answer (HMAC-signed, bound to the plan, single-use, expiring). With
 * `requireHuman`, only a person at a terminal prompt or in an MCP elicitation dialog approves.
 */
export function checkApproval(claim: ApprovalClaim, approvedBy: ApprovedBy | undefined, requireHuman: boolean): ApprovalCheck {
  const token = claim.confirmToken;
  if (!claim.confirm) {
    return {
      approved: false,
      message: token === undefined ? "needs approval" : "a confirmToken without constraints.confirm = true is not an approval",
    };
  }
  if (requireHuman && !HUMAN.has(approvedBy)) {
    return {
      approved: false,
      message: "confirm.requireHuman is on: only a person approves, at the rag-k8s terminal prompt or through an MCP client that supports elicitation",
    };
  }
  if (approvedBy === "terminal-flag") return { approved: true, label: "terminal", ...(token !== undefined ? { token } : {}) };
  if (token === undefined) {
    return {
      approved: false,
      message: "constraints.confirm = true alone is not an approval: after the person approves this plan, call again with constraints.confirmToken of this answer",
    };
  }
  return { approved: true, label: approvedBy === "elicitation" ? "elicitation" : approvedBy === "terminal-prompt" ? "terminal" : "token", token };
}
