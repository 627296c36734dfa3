import type { RiskLevel } from "../cards/vocabulary.js";
import { RISK_LEVELS } from "../cards/vocabulary.js";
import type { ParsedCommand } from "./parsed.js";

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

/** `{"spec":{"suspend":false}}` resumes: as low as `flux resume`. Anything else a patch does stays medium. */
function patchOnlyResumes(parsed: ParsedCommand): boolean {
  const patch = parsed.flags.get("patch");
  if (typeof patch !== "string") return false;
  try {
    const body = JSON.parse(patch) as unknown;
    const spec = (body as { spec?: unknown } | null)?.spec;
    return Object.keys(body as object).length === 1 && spec !== null && typeof spec === "object" && JSON.stringify(spec) === '{"suspend":false}';
  } catch {
    return false;
  }
}

/** Risk from what the command does, never from what a model or a card claims. Unknown mutations are high. */
export function computeRisk(parsed: ParsedCommand): RiskLevel {
  if (parsed.readOnly) return "none";
  let risk: RiskLevel = BASE_RISK[parsed.verb] ?? "high";
  if (parsed.verb === "scale" && parsed.flags.get("replicas") === "0") risk = "high";
  if (parsed.verb === "delete" && parsed.resources.length > 0 && parsed.resources.every((r) => r === "jobs")) risk = "medium";
  if (parsed.verb === "patch" && patchOnlyResumes(parsed)) risk = "low";
  const forceful =
    parsed.flags.get("force") === true || parsed.flags.get("grace-period") === "0" || parsed.flags.get("disable-eviction") === true;
  return forceful ? raise(risk) : risk;
}
