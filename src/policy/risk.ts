import type { ParsedCommand } from "./parsed.js";

/** How much a command can hurt, in order; cards declare theirs on the same scale. */
export const RISK_LEVELS = ["none", "low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

const BASE_RISK: Readonly<Record<string, RiskLevel>> = {
  "rollout restart": "low",
  "rollout resume": "low",
  "rollout undo": "medium",
  "rollout pause": "medium",
  scale: "medium",
  cordon: "medium",
  uncordon: "low",
  drain: "high",
  // A Job from a CronJob runs the job's work once more, now: a backup, a migration, a send-out.
  "create job": "medium",
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

/**
 * A change that removes work or state rather than adjusting it: delete, drain, scale to 0, rollout undo. The
 * namespaces' `denyDestructive` rule and the disableDestructive server mode refuse exactly these.
 */
export function isDestructive(parsed: ParsedCommand): boolean {
  if (parsed.readOnly) return false;
  if (parsed.verb === "scale") return parsed.flags.get("replicas") === "0";
  return parsed.verb === "delete" || parsed.verb === "drain" || parsed.verb === "rollout undo";
}

/**
 * A change whose objects are chosen on the server, not named: by label selector (`-l '!x'` matches
 * everything), every object of a kind, or several kinds at once. What it changes is unknown until it runs.
 */
export function isMassChange(parsed: ParsedCommand): boolean {
  if (parsed.readOnly || parsed.verb === "drain") return false;
  return parsed.selector !== null || parsed.resources.length > 1 || parsed.refs.some((r) => r.name === null);
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
  if (forceful) risk = raise(risk);
  return isMassChange(parsed) ? raise(risk) : risk;
}
