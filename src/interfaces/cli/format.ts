import { styleText } from "node:util";
import type { ExecResponse } from "../../core/response.js";
import { stripTerminalEscapes as clean } from "../../executor/escapes.js";

const useColor = process.stdout.isTTY && !process.env["NO_COLOR"];
type Style = Parameters<typeof styleText>[0];
const paint = (style: Style | Style[], text: string): string =>
  useColor ? [style].flat().reduceRight<string>((inner, s) => styleText(s, inner), text) : text;

const STATUS_STYLE: Record<ExecResponse["status"], Style> = {
  succeeded: "green",
  dry_run: "green",
  planned: "cyan",
  awaiting_confirmation: "yellow",
  denied: "red",
  failed: "red",
  needs_input: "yellow",
};

function indent(text: string, prefix = "  "): string {
  return text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

/**
 * A response as a person reads it: plan, decision, output, timings. Every field that can carry text from the
 * cluster or a request (pod logs, object names, a goal) is cleaned of terminal escape sequences before it is
 * painted, so output cannot write the clipboard (OSC 52), clear the screen or fake a coloured line.
 */
export function formatResponse(response: ExecResponse, show: { plan?: boolean } = {}): string {
  const lines: string[] = [];
  const { validation } = response;
  const plan = show.plan === false ? undefined : response.plan;
  lines.push(`${paint(["bold", STATUS_STYLE[response.status]], response.status.toUpperCase())}  ${clean(response.message)}`);
  if (plan) {
    lines.push(`${paint("bold", "plan")}      ${clean(plan.summary)}  [${plan.planner}${plan.cardId ? `, card ${clean(plan.cardId)}` : ""}]`);
    for (const command of plan.commands) lines.push(`  $ ${clean(command)}`);
  }
  if (validation && show.plan !== false) {
    lines.push(`${paint("bold", "decision")}  ${validation.decision} (risk ${validation.risk}${validation.readOnly ? ", read-only" : ""})`);
    for (const reason of validation.reasons) lines.push(`  - ${clean(reason)}`);
    for (const suggestion of validation.suggestions) lines.push(`  try: ${clean(suggestion)}`);
  }
  if (response.candidates?.length) {
    lines.push(paint("bold", "candidates"));
    for (const c of response.candidates) {
      lines.push(clean(`  ${c.cardId}: ${c.title}${c.missing.length ? ` (missing: ${c.missing.join(", ")})` : ""}`));
    }
  }
  if (response.stdout) lines.push(paint("bold", "output"), indent(clean(response.stdout)));
  if (response.stderr) lines.push(paint("bold", "stderr"), indent(clean(response.stderr)));
  if (response.result?.truncated) lines.push(paint("dim", "  (output truncated)"));
  const t = response.timings;
  lines.push(
    paint(
      "dim",
      `timings   retrieve ${t.retrieveMs.toFixed(2)} ms · plan ${t.planMs.toFixed(2)} ms · validate ${t.validateMs.toFixed(3)} ms · exec ${t.execMs.toFixed(1)} ms · total ${t.totalMs.toFixed(1)} ms${response.cache ? ` · cache ${response.cache}` : ""}`,
    ),
  );
  lines.push(paint("dim", `operation ${clean(response.operationId)}`));
  return lines.join("\n");
}
