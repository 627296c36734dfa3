/**
 * Command requests: the caller (an agent, a person) wrote the kubectl/flux command itself. Planning only turns
 * it into a Plan; the policy engine then parses the very same text and decides, exactly as for a card's or a
 * model's plan. Nothing here judges the command, so a command the policy cannot parse still becomes a plan and
 * is denied with the policy's reasons.
 */
import { parseCommand, quoteArgv, tokenize } from "../policy/index.js";
import type { Plan } from "./types.js";

export interface CommandRequest {
  readonly command?: string | undefined;
  readonly argv?: readonly string[] | undefined;
  readonly namespace?: string | undefined;
}

/** The plan for a command request; `binaries` are the programs the policy knows (for reading the namespace). */
export function planCommand(request: CommandRequest, binaries: readonly string[]): Plan {
  const command = request.argv !== undefined ? quoteArgv(request.argv) : (request.command ?? "");
  const tokens = request.argv ?? tokenizedOrNone(command);
  const parsed = parseCommand(command, binaries);
  const fromCommand = parsed.ok ? parsed.parsed : null;
  return {
    intent: null,
    resource: null,
    namespace: request.namespace ?? fromCommand?.namespace ?? null,
    target: fromCommand?.names[0] ?? null,
    selector: fromCommand?.selector ?? null,
    command,
    commands: [command],
    // A command that does not split into words has no argv to run; policy denies it with the reason.
    steps: tokens ? [tokens] : [],
    summary: `run the requested command: ${command}`,
    cardId: null,
    planner: "command",
  };
}

function tokenizedOrNone(command: string): readonly string[] | null {
  const result = tokenize(command);
  return result.ok ? result.tokens : null;
}
