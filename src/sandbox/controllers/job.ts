import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import type { Json, KubeObject } from "../types.js";
import { JOBS, PODS, J, controlledBy, createPod, findCondition, num, podActive, podReady, spec, status, writeStatus } from "./util.js";

function finished(job: KubeObject): boolean {
  return ["Complete", "Failed"].some((t) => findCondition(job, t)?.["status"] === "True");
}

function reconcileOne(cluster: Cluster, job: KubeObject): void {
  const now = rfc3339(cluster.now());
  const pods = cluster.store.list(PODS, job.metadata.namespace).filter((p) => controlledBy(p, job));
  const succeeded = pods.filter((p) => status(p)["phase"] === "Succeeded").length;
  const failed = pods.filter((p) => status(p)["phase"] === "Failed").length;
  const active = pods.filter(podActive);
  const completions = num(spec(job)["completions"], 1);
  const parallelism = num(spec(job)["parallelism"], 1);
  const backoffLimit = num(spec(job)["backoffLimit"], 6);
  const previous = status(job);
  const conditions = Array.isArray(previous["conditions"]) ? [...(previous["conditions"] as Json[])] : [];
  const next: Json = { ...previous, startTime: previous["startTime"] ?? now };
  if (!finished(job) && spec(job)["suspend"] !== true) {
    if (failed > backoffLimit) {
      conditions.push(
        { type: "FailureTarget", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: now, lastTransitionTime: now },
        { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: now, lastTransitionTime: now },
      );
      cluster.events.record(job, { type: "Warning", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", source: { component: "job-controller" } });
    } else if (succeeded >= completions) {
      conditions.push(
        { type: "SuccessCriteriaMet", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", lastProbeTime: now, lastTransitionTime: now },
        { type: "Complete", status: "True", reason: "CompletionsReached", message: "Reached expected number of succeeded pods", lastProbeTime: now, lastTransitionTime: now },
      );
      next["completionTime"] = now;
      cluster.events.record(job, { type: "Normal", reason: "Completed", message: "Job completed", source: { component: "job-controller" } });
    } else {
      const wanted = Math.min(parallelism, completions - succeeded) - active.length;
      for (let i = 0; i < wanted; i++) {
        const name = `${job.metadata.name}-${cluster.names.suffix(job.metadata.name)}`;
        active.push(createPod(cluster, job, J(spec(job)["template"]), name));
        cluster.events.record(job, { type: "Normal", reason: "SuccessfulCreate", message: `Created pod: ${name}`, source: { component: "job-controller" } });
      }
    }
  }
  const stillActive = finished({ ...job, status: { conditions } }) ? 0 : active.length;
  Object.assign(next, {
    ...(stillActive ? { active: stillActive } : {}),
    ...(succeeded ? { succeeded } : {}),
    ...(failed ? { failed } : {}),
    ready: active.filter(podReady).length,
    terminating: 0,
    uncountedTerminatedPods: {},
    conditions,
  });
  if (!stillActive) delete next["active"];
  if (!conditions.length) delete next["conditions"];
  writeStatus(cluster, job, next);
}

export function reconcileJobs(cluster: Cluster): void {
  for (const job of cluster.store.list(JOBS)) reconcileOne(cluster, job);
}
