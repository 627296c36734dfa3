import { nextFor } from "../next.js";
import type { Tools } from "../next.js";
import type { FluxObject, Node, Pvc } from "../objects.js";
import { condition } from "../objects.js";
import { quote } from "../text.js";
import type { Finding, Severity } from "../types.js";

const PRESSURE = ["MemoryPressure", "DiskPressure", "PIDPressure"];

/** Nodes that are not Ready, under memory/disk/PID pressure, without network, or cordoned. */
export function analyzeNodes(nodes: readonly Node[]): Finding[] {
  const findings: Finding[] = [];
  for (const node of nodes) {
    const name = node.metadata.name;
    const problems: { severity: Severity; problem: string; evidence: string }[] = [];
    const ready = condition(node.status.conditions, "Ready");
    if (ready && ready.status !== "True") problems.push({ severity: "critical", problem: "NotReady", evidence: `Ready is ${ready.status}: ${quote(`${ready.reason ?? ""} ${ready.message ?? ""}`)}` });
    const network = condition(node.status.conditions, "NetworkUnavailable");
    if (network?.status === "True") problems.push({ severity: "critical", problem: "NetworkUnavailable", evidence: quote(network.message) });
    for (const type of PRESSURE) {
      const c = condition(node.status.conditions, type);
      if (c?.status === "True") problems.push({ severity: "warning", problem: type, evidence: `${type}: ${quote(c.message)}` });
    }
    const cordoned = node.spec.unschedulable === true;
    if (cordoned) problems.push({ severity: "warning", problem: "Cordoned", evidence: "cordoned (SchedulingDisabled): no new pods are placed on it" });
    const [worst, second] = problems;
    if (!worst) continue;
    const next = nextFor.describeNode(name);
    const fix = cordoned && problems.length === 1 ? nextFor.uncordon(name) : undefined;
    findings.push({
      severity: worst.severity,
      object: { kind: "Node", name },
      problem: worst.problem,
      evidence: [worst.evidence, ...(second ? [problems.length > 2 ? `${second.evidence} (+${problems.length - 2} more)` : second.evidence] : [])],
      ...(next ? { next } : {}),
      ...(fix ? { fix } : {}),
    });
  }
  return findings;
}

/** Claims still waiting for a volume (Pending) or whose volume is gone (Lost). */
export function analyzePvcs(pvcs: readonly Pvc[]): Finding[] {
  const findings: Finding[] = [];
  for (const pvc of pvcs) {
    const phase = pvc.status.phase;
    if (phase !== "Pending" && phase !== "Lost") continue;
    const { namespace, name } = pvc.metadata;
    const next = nextFor.objectEvents(namespace, name, "PersistentVolumeClaim");
    findings.push({
      severity: phase === "Lost" ? "critical" : "warning",
      object: { kind: "PersistentVolumeClaim", ...(namespace ? { namespace } : {}), name },
      problem: phase,
      evidence: [`claim is ${phase}, storage class ${pvc.spec.storageClassName ? quote(pvc.spec.storageClassName) : "(none: it waits for a matching volume)"}`],
      ...(next ? { next } : {}),
    });
  }
  return findings;
}

/** Flux Kustomizations and HelmReleases that are suspended or whose Ready condition is not True. */
export function analyzeFlux(objects: readonly FluxObject[], tools: Tools): Finding[] {
  const findings: Finding[] = [];
  for (const obj of objects) {
    const { namespace, name } = obj.metadata;
    const isKustomization = obj.kind === "Kustomization";
    const object = { kind: obj.kind, ...(namespace ? { namespace } : {}), name };
    const list = isKustomization ? nextFor.kustomizations(namespace, tools) : undefined;
    if (obj.spec.suspend === true) {
      const fix = isKustomization ? nextFor.resumeKustomization(namespace, name, tools) : undefined;
      const revision = obj.status.lastAppliedRevision ? `stays on ${quote(obj.status.lastAppliedRevision)}` : "never applied";
      findings.push({ severity: "warning", object, problem: "Suspended", evidence: [`reconciliation is suspended; ${revision}`], ...(list ? { next: list } : {}), ...(fix ? { fix } : {}) });
      continue;
    }
    const ready = condition(obj.status.conditions, "Ready");
    if (ready?.status === "True") continue;
    findings.push({
      severity: ready?.status === "False" ? "critical" : "info",
      object,
      problem: ready?.status === "False" ? (ready.reason ?? "NotReady") : "NotReconciled",
      evidence: [ready ? `Ready is ${ready.status}: ${quote(ready.message)}` : "no Ready condition yet: the controller has not reconciled it"],
      ...(list ? { next: list } : {}),
    });
  }
  return findings;
}
