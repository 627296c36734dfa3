import type { RiskLevel } from "../cards/vocabulary.js";
import { RISK_LEVELS } from "../cards/vocabulary.js";
import type { ParsedCommand } from "./parse.js";

const BASE_RISK: Readonly<Record<string, RiskLevel>> = {
  "rollout restart": "low",
  "rollout resume": "low",
  "rollout undo": "medium",
  "rollout pause": "medium",
  scale: "medium",
  cordon: "medium",
  uncordon: "low",
  drain: "high",
  "create job": "low",
  annotate: "low",
  label: "low",
  patch: "medium",
  delete: "high",
  "flux reconcile": "low",
  "flux resume": "low",
  "flux suspend": "medium",
};

function raise(risk: RiskLevel): RiskLevel {
  return RISK_LEVELS[Math.min(RISK_LEVELS.indexOf(risk) + 1, RISK_LEVELS.length - 1)] as RiskLevel;
}

function patchSetsSuspendFalse(parsed: ParsedCommand): boolean {
  const patch = parsed.flags.get("patch");
  return typeof patch === "string" && /"suspend"\s*:\s*false/.test(patch);
}

/** Risk from what the command does, never from what a model or a card claims. */
export function computeRisk(parsed: ParsedCommand): RiskLevel {
  if (parsed.readOnly) return "none";
  let risk: RiskLevel = BASE_RISK[parsed.verb] ?? "high";
  if (parsed.verb === "scale" && parsed.flags.get("replicas") === "0") risk = "high";
  if (parsed.verb === "delete" && parsed.resources.every((r) => r === "jobs")) risk = "medium";
  if (parsed.verb === "patch" && patchSetsSuspendFalse(parsed)) risk = "low";
  const forceful =
    parsed.flags.get("force") === true || parsed.flags.get("grace-period") === "0" || parsed.flags.get("disable-eviction") === true;
  return forceful ? raise(risk) : risk;
}
