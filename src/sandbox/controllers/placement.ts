import { labelsMatch } from "../selectors.js";
import type { Json, KubeObject } from "../types.js";
import { A, J, findCondition, spec } from "./util.js";

function tolerates(podSpec: Json, taint: Json): boolean {
  return A(podSpec["tolerations"]).some((raw) => {
    const t = J(raw);
    if (t["effect"] && t["effect"] !== taint["effect"]) return false;
    if (t["operator"] === "Exists") return !t["key"] || t["key"] === taint["key"];
    return t["key"] === taint["key"] && (t["value"] ?? "") === (taint["value"] ?? "");
  });
}

export function nodeReady(node: KubeObject): boolean {
  return findCondition(node, "Ready")?.["status"] === "True";
}

/**
 * Why a pod cannot run on a node, in the scheduler's words, or undefined when it can. DaemonSet pods
 * tolerate cordoned nodes, as their controller adds that toleration.
 */
export function placementProblem(podSpec: Json, node: KubeObject, daemon: boolean): string | undefined {
  if (!nodeReady(node)) return "had untolerated taint {node.kubernetes.io/not-ready: }";
  if (spec(node)["unschedulable"] === true && !daemon) return "were unschedulable";
  const selector = J(podSpec["nodeSelector"]) as Record<string, string>;
  if (!labelsMatch(node.metadata.labels, Object.entries(selector).map(([key, value]) => ({ key, op: "=" as const, values: [value] })))) {
    return "didn't match Pod's node affinity/selector";
  }
  for (const raw of A(spec(node)["taints"])) {
    const taint = J(raw);
    if (taint["effect"] === "PreferNoSchedule") continue;
    if (!tolerates(podSpec, taint)) return `had untolerated taint {${String(taint["key"])}: ${String(taint["value"] ?? "")}}`;
  }
  return undefined;
}
