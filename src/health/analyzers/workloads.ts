import { nextFor } from "../next.js";
import type { DaemonSet, Deployment, Job, Pod, StatefulSet } from "../objects.js";
import { condition } from "../objects.js";
import { quote } from "../text.js";
import type { Finding, ObjectRef } from "../types.js";

function ref(kind: string, metadata: { namespace?: string | undefined; name: string }): ObjectRef {
  return { kind, ...(metadata.namespace ? { namespace: metadata.namespace } : {}), name: metadata.name };
}

function revision(d: Deployment): number {
  const value = Number(d.metadata.annotations?.["deployment.kubernetes.io/revision"]);
  return Number.isInteger(value) ? value : 0;
}

/** Deployments whose rollout passed its progress deadline, or with fewer available replicas than desired. */
export function analyzeDeployments(deployments: readonly Deployment[]): Finding[] {
  const findings: Finding[] = [];
  for (const d of deployments) {
    const { namespace, name } = d.metadata;
    const desired = d.spec.replicas ?? 1;
    const available = d.status.availableReplicas ?? 0;
    const updated = d.status.updatedReplicas ?? 0;
    const progressing = condition(d.status.conditions, "Progressing");
    const counts = `${updated}/${desired} updated, ${available}/${desired} available`;
    if (progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
      const next = nextFor.stuckRollout(namespace, name, d.spec.selector?.matchLabels);
      // Undo needs a revision to go back to; a first rollout that never worked has none.
      const fix = revision(d) > 1 ? nextFor.rollbackDeployment(namespace, name) : undefined;
      findings.push({ severity: "critical", object: ref("Deployment", d.metadata), problem: "ProgressDeadlineExceeded", evidence: [`rollout stuck: ${counts}`, quote(progressing.message)], ...(next ? { next } : {}), ...(fix ? { fix } : {}) });
      continue;
    }
    if (desired > 0 && available < desired) {
      const next = updated < desired ? nextFor.rolloutStatus("deployment", namespace, name) : nextFor.workloadEvents("deployment", namespace, name);
      findings.push({ severity: available === 0 ? "critical" : "warning", object: ref("Deployment", d.metadata), problem: available === 0 ? "Unavailable" : "DegradedReplicas", evidence: [counts], ...(next ? { next } : {}) });
    }
  }
  return findings;
}

/** StatefulSets with fewer ready replicas than desired, or a rolling update that has not finished. */
export function analyzeStatefulSets(sets: readonly StatefulSet[]): Finding[] {
  const findings: Finding[] = [];
  for (const s of sets) {
    const { namespace, name } = s.metadata;
    const desired = s.spec.replicas ?? 1;
    const ready = s.status.readyReplicas ?? 0;
    if (desired === 0 || ready >= desired) continue;
    const rolling = s.status.updateRevision !== undefined && s.status.updateRevision !== s.status.currentRevision;
    const next = rolling ? nextFor.rolloutStatus("statefulset", namespace, name) : nextFor.workloadEvents("statefulset", namespace, name);
    findings.push({ severity: ready === 0 ? "critical" : "warning", object: ref("StatefulSet", s.metadata), problem: rolling ? "RolloutNotFinished" : "DegradedReplicas", evidence: [`${ready}/${desired} ready, ${s.status.updatedReplicas ?? 0}/${desired} updated`], ...(next ? { next } : {}) });
  }
  return findings;
}

/** DaemonSets not scheduled on every node they should run on, or not ready there. */
export function analyzeDaemonSets(sets: readonly DaemonSet[]): Finding[] {
  const findings: Finding[] = [];
  for (const ds of sets) {
    const { namespace, name } = ds.metadata;
    const desired = ds.status.desiredNumberScheduled ?? 0;
    const scheduled = ds.status.currentNumberScheduled ?? 0;
    const ready = ds.status.numberReady ?? 0;
    const misscheduled = ds.status.numberMisscheduled ?? 0;
    let problem: string | undefined;
    if (scheduled < desired) problem = "NotFullyScheduled";
    else if (ready < desired) problem = "DegradedReplicas";
    else if (misscheduled > 0) problem = "Misscheduled";
    if (!problem) continue;
    const next = nextFor.workloadEvents("daemonset", namespace, name);
    findings.push({ severity: problem === "Misscheduled" ? "info" : "warning", object: ref("DaemonSet", ds.metadata), problem, evidence: [`${scheduled}/${desired} scheduled, ${ready}/${desired} ready, ${misscheduled} on nodes they should not run on`], ...(next ? { next } : {}) });
  }
  return findings;
}

/** Jobs that failed (the newest failed pod's log is the next thing to read). */
export function analyzeJobs(jobs: readonly Job[], pods: readonly Pod[]): Finding[] {
  const findings: Finding[] = [];
  for (const job of jobs) {
    const failed = condition(job.status.conditions, "Failed");
    if (failed?.status !== "True") continue;
    const { namespace, name } = job.metadata;
    const jobPods = pods.filter((p) => p.metadata.namespace === namespace && p.metadata.ownerReferences?.some((o) => o.kind === "Job" && o.name === name));
    const newest = jobPods.filter((p) => p.status.phase === "Failed").sort((a, b) => (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? ""))[0];
    const next = newest ? nextFor.podLogs(namespace, newest.metadata.name) : nextFor.objectEvents(namespace, name, "Job");
    findings.push({
      severity: "warning",
      object: ref("Job", job.metadata),
      problem: failed.reason ?? "Failed",
      evidence: [`${job.status.failed ?? 0} failed pods (backoffLimit ${job.spec.backoffLimit ?? 6}): ${quote(failed.message)}`],
      ...(next ? { next } : {}),
    });
  }
  return findings;
}
