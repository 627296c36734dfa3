import { nextFor } from "../next.js";
import type { Pod } from "../objects.js";
import { condition } from "../objects.js";
import { quote, shown } from "../text.js";
import type { Finding, NextOperation, Severity } from "../types.js";

const IMAGE_PULL = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull", "RegistryUnavailable"]);
const START_FAILURES = new Set(["CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreStartHookError", "PostStartHookError"]);
/** Restarts of a running, ready container worth a look. */
const RESTARTS_WORTH_NOTING = 3;

type ContainerStatus = NonNullable<Pod["status"]["containerStatuses"]>[number];

interface PodProblem {
  severity: Severity;
  problem: string;
  evidence: string[];
  next: NextOperation | undefined;
}

function lastExit(status: ContainerStatus): string {
  const t = status.lastState?.terminated ?? status.state?.terminated;
  return t ? `last exit ${t.exitCode ?? "?"} (${t.reason ?? "no reason"})` : "no exit recorded";
}

function memoryLimit(pod: Pod, container: string): string {
  const limit = pod.spec.containers.find((c) => c.name === container)?.resources?.limits?.["memory"];
  return typeof limit === "string" ? `memory limit ${quote(limit)}` : "no memory limit";
}

/** The worst thing about one pod, or undefined when it looks healthy. */
function problemOf(pod: Pod): PodProblem | undefined {
  const { namespace, name } = pod.metadata;
  const statuses = [...(pod.status.initContainerStatuses ?? []), ...(pod.status.containerStatuses ?? [])];
  const several = pod.spec.containers.length > 1 || (pod.status.initContainerStatuses?.length ?? 0) > 0;
  const container = (s: ContainerStatus): string | undefined => (several ? s.name : undefined);
  const oom = (s: ContainerStatus): boolean => s.lastState?.terminated?.reason === "OOMKilled" || s.state?.terminated?.reason === "OOMKilled";

  const pulling = statuses.find((s) => IMAGE_PULL.has(s.state?.waiting?.reason ?? ""));
  if (pulling) {
    const evidence = [`container ${pulling.name}: image ${quote(pulling.image)} cannot be pulled (${pulling.state?.waiting?.reason})`];
    if (oom(pulling)) evidence.push(`its previous run was OOMKilled (${memoryLimit(pod, pulling.name)})`);
    return { severity: "critical", problem: pulling.state?.waiting?.reason ?? "ImagePullBackOff", evidence, next: nextFor.imagePull(namespace, name) };
  }
  const killed = statuses.find(oom);
  if (killed) {
    return {
      severity: "critical",
      problem: "OOMKilled",
      evidence: [`container ${killed.name} was killed for memory: ${killed.restartCount} restarts, ${lastExit(killed)}, ${memoryLimit(pod, killed.name)}`],
      next: nextFor.crashLoop(namespace, name, container(killed)),
    };
  }
  const looping = statuses.find((s) => s.state?.waiting?.reason === "CrashLoopBackOff");
  if (looping) {
    return {
      severity: "critical",
      problem: "CrashLoopBackOff",
      evidence: [`container ${looping.name}: ${looping.restartCount} restarts, ${lastExit(looping)}`],
      next: nextFor.crashLoop(namespace, name, container(looping)),
    };
  }
  const failedStart = statuses.find((s) => START_FAILURES.has(s.state?.waiting?.reason ?? ""));
  if (failedStart) {
    return { severity: "critical", problem: failedStart.state?.waiting?.reason ?? "CreateContainerError", evidence: [`container ${failedStart.name}: ${quote(failedStart.state?.waiting?.message)}`], next: nextFor.describePod(namespace, name) };
  }
  const phase = pod.status.phase;
  const scheduled = condition(pod.status.conditions, "PodScheduled");
  if (phase === "Pending" && scheduled?.status === "False") {
    return { severity: "warning", problem: scheduled.reason ?? "Unschedulable", evidence: [`not scheduled: ${quote(scheduled.message)}`], next: nextFor.describePod(namespace, name) };
  }
  if (phase === "Failed") {
    return { severity: "warning", problem: pod.status.reason ?? "Failed", evidence: [`pod failed: ${quote(pod.status.message ?? statuses.map(lastExit).join("; "))}`], next: nextFor.describePod(namespace, name) };
  }
  const ready = condition(pod.status.conditions, "Ready");
  if (phase === "Running" && ready?.status === "False") {
    const unready = statuses.filter((s) => s.ready === false).map((s) => s.name);
    return { severity: "warning", problem: "NotReady", evidence: [`running but not ready: containers ${unready.join(", ") || "?"}`], next: nextFor.describePod(namespace, name) };
  }
  const restarting = statuses.find((s) => s.restartCount >= RESTARTS_WORTH_NOTING);
  if (restarting) {
    return { severity: "info", problem: "Restarts", evidence: [`container ${restarting.name}: ${restarting.restartCount} restarts, ${lastExit(restarting)}`], next: nextFor.crashLoop(namespace, name, container(restarting)) };
  }
  return undefined;
}

const controllerOf = (pod: Pod) => pod.metadata.ownerReferences?.find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];

/**
 * Pods that crash-loop, cannot pull, were OOMKilled, cannot be scheduled, failed or are not ready. Pods of
 * the same controller with the same problem become one finding; Job pods are left to the job analyzer.
 */
export function analyzePods(pods: readonly Pod[]): { findings: Finding[]; covered: Set<string> } {
  const findings: Finding[] = [];
  const covered = new Set<string>();
  const groups = new Map<string, { finding: Finding; more: number }>();
  for (const pod of pods) {
    const owner = controllerOf(pod);
    if (owner?.kind === "Job") continue;
    const found = problemOf(pod);
    if (!found) continue;
    covered.add(`Pod/${pod.metadata.namespace ?? ""}/${pod.metadata.name}`);
    const key = owner ? `${pod.metadata.namespace ?? ""}/${owner.kind}/${owner.name}/${found.problem}` : undefined;
    const group = key ? groups.get(key) : undefined;
    if (group) {
      group.more++;
      continue;
    }
    const finding: Finding = {
      severity: found.severity,
      object: { kind: "Pod", ...(pod.metadata.namespace ? { namespace: pod.metadata.namespace } : {}), name: pod.metadata.name },
      problem: found.problem,
      evidence: found.evidence,
      ...(found.next ? { next: found.next } : {}),
    };
    findings.push(finding);
    if (key && owner) groups.set(key, { finding, more: 0 });
  }
  for (const [key, { finding, more }] of groups) {
    if (more === 0) continue;
    const [, kind, name] = key.split("/");
    const index = findings.indexOf(finding);
    findings[index] = { ...finding, evidence: [...finding.evidence.slice(0, 1), `and ${more} more pod${more === 1 ? "" : "s"} of ${kind?.toLowerCase()} ${shown(name ?? "")} with the same problem`] };
  }
  return { findings, covered };
}
