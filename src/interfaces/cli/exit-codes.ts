import type { ExecStatus } from "../../core/response.js";

/** Process exit codes, documented in `rag-k8s --help`. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  confirm: 3,
  deny: 4,
  needsInput: 5,
  internal: 70,
} as const;

export function exitCodeFor(status: ExecStatus): number {
  switch (status) {
    case "succeeded":
    case "dry_run":
    case "planned":
      return EXIT.ok;
    case "failed":
      return EXIT.failed;
    case "awaiting_confirmation":
      return EXIT.confirm;
    case "denied":
      return EXIT.deny;
    case "needs_input":
      return EXIT.needsInput;
  }
}

export const EXIT_CODES_HELP = `
Exit codes:
  0  success (executed, dry run, planned, or allowed by validate)
  1  the command ran and failed (non-zero exit, timeout)
  2  usage error or invalid input (nothing was executed)
  3  needs confirmation (run again with --confirm, or answer y on a terminal)
  4  denied by policy (nothing was executed)
  5  the goal needs more input (see the candidates printed)
  70 internal error`;
