import type { ExecResponse } from "../../core/response.js";

/**
 * What a person sees before answering `Proceed? [y/N]`: the commands and why they need approval. The response's
 * message is written for agents (how to call again with a confirmToken), so it is left out here.
 */
export function formatConfirmation(response: ExecResponse): string {
  const lines: string[] = [];
  if (response.plan) {
    lines.push(`plan: ${response.plan.summary}`);
    for (const command of response.plan.commands) lines.push(`  $ ${command}`);
  }
  const validation = response.validation;
  if (validation) {
    lines.push(`needs confirmation (risk ${validation.risk}):`);
    for (const reason of validation.reasons) lines.push(`  - ${reason}`);
  }
  return lines.join("\n");
}

/** Only an explicit yes runs anything. */
export function isYes(answer: string): boolean {
  return /^y(es)?$/i.test(answer.trim());
}
