import { invalid } from "./status.js";
import type { ResourceType } from "./resources.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";
import { selectorObjectMatcher } from "./selectors.js";
import type { LabelSelectorObject } from "./selectors.js";

/** Fields of a record, creating the record when absent. */
function obj(parent: Json, key: string): Json {
  const value = parent[key];
  if (isRecord(value)) return value;
  const created: Json = {};
  parent[key] = created;
  return created;
}

export function defaultPodSpec(spec: Json): void {
  spec["restartPolicy"] ??= "Always";
  spec["terminationGracePeriodSeconds"] ??= 30;
  spec["dnsPolicy"] ??= "ClusterFirst";
  spec["schedulerName"] ??= "default-scheduler";
  spec["securityContext"] ??= {};
  for (const list of ["initContainers", "containers"]) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    for (const c of containers) {
      if (!isRecord(c)) continue;
      const image = typeof c["image"] === "string" ? c["image"] : "";
      c["imagePullPolicy"] ??= image.endsWith(":latest") || !image.includes(":") ? "Always" : "IfNotPresent";
      c["terminationMessagePath"] ??= "/dev/termination-log";
      c["terminationMessagePolicy"] ??= "File";
      c["resources"] ??= {};
      if (Array.isArray(c["ports"])) for (const p of c["ports"]) if (isRecord(p)) p["protocol"] ??= "TCP";
    }
  }
}

function defaultTemplate(spec: Json): void {
  const template = obj(spec, "template");
  obj(template, "metadata");
  defaultPodSpec(obj(template, "spec"));
}

function requireSelectorMatchesTemplate(type: ResourceType, o: KubeObject, spec: Json): void {
  const selector = spec["selector"] as LabelSelectorObject | undefined;
  const labels = ((spec["template"] as Json | undefined)?.["metadata"] as Json | undefined)?.["labels"] as Record<string, string> | undefined;
  if (!selector || (!selector.matchLabels && !selector.matchExpressions)) {
    throw invalid(type, o.metadata.name, [{ field: "spec.selector", message: "Required value" }]);
  }
  if (!selectorObjectMatcher(selector)(labels)) {
    throw invalid(type, o.metadata.name, [{ field: "spec.template.metadata.labels", message: "Invalid value: `selector` does not match template `labels`" }]);
  }
}

function requireReplicas(type: ResourceType, o: KubeObject, spec: Json): void {
  const replicas = spec["replicas"];
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(type, o.metadata.name, [{ field: "spec.replicas", message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
  }
}

/**
 * Applies the API server's defaulting and the validation that matters to the controllers, in place.
 * `uid` is the object's uid (jobs derive their selector from it).
 */
export function applyDefaults(type: ResourceType, o: KubeObject, uid: string | undefined): void {
  const spec = (o as Json)["spec"];
  const s: Json = isRecord(spec) ? spec : {};
  switch (`${type.group}/${type.kind}`) {
    case "/Namespace":
      o.metadata.labels = { ...o.metadata.labels, "kubernetes.io/metadata.name": o.metadata.name };
      // An empty spec or status (client-go's protobuf always carries both) is defaulted like an absent one.
      if (!Array.isArray(s["finalizers"])) s["finalizers"] = ["kubernetes"];
      (o as Json)["spec"] = s;
      {
        const status = (o as Json)["status"];
        if (!isRecord(status) || !status["phase"]) (o as Json)["status"] = { phase: "Active" };
      }
      break;
    case "/Pod":
      defaultPodSpec(s);
      (o as Json)["spec"] = s;
      (o as Json)["status"] ??= { phase: "Pending", qosClass: "BestEffort" };
      break;
    case "/Secret":
      (o as Json)["type"] ??= "Opaque";
      break;
    case "/Service": {
      s["type"] ??= "ClusterIP";
      s["sessionAffinity"] ??= "None";
      if (Array.isArray(s["ports"])) {
        for (const p of s["ports"]) if (isRecord(p)) {
          p["protocol"] ??= "TCP";
          p["targetPort"] ??= p["port"];
        }
      }
      (o as Json)["spec"] = s;
      (o as Json)["status"] ??= { loadBalancer: {} };
      break;
    }
    case "apps/Deployment": {
      s["replicas"] ??= 1;
      requireReplicas(type, o, s);
      s["revisionHistoryLimit"] ??= 10;
      s["progressDeadlineSeconds"] ??= 600;
      const strategy = obj(s, "strategy");
      strategy["type"] ??= "RollingUpdate";
      if (strategy["type"] === "RollingUpdate") {
        const ru = obj(strategy, "rollingUpdate");
        ru["maxSurge"] ??= "25%";
        ru["maxUnavailable"] ??= "25%";
      }
      defaultTemplate(s);
      requireSelectorMatchesTemplate(type, o, s);
      (o as Json)["spec"] = s;
      break;
    }
    case "apps/ReplicaSet":
      s["replicas"] ??= 1;
      requireReplicas(type, o, s);
      defaultTemplate(s);
      requireSelectorMatchesTemplate(type, o, s);
      (o as Json)["spec"] = s;
      break;
    case "apps/StatefulSet": {
      s["replicas"] ??= 1;
      requireReplicas(type, o, s);
      s["podManagementPolicy"] ??= "OrderedReady";
      s["revisionHistoryLimit"] ??= 10;
      s["persistentVolumeClaimRetentionPolicy"] ??= { whenDeleted: "Retain", whenScaled: "Retain" };
      const strategy = obj(s, "updateStrategy");
      strategy["type"] ??= "RollingUpdate";
      if (strategy["type"] === "RollingUpdate") obj(strategy, "rollingUpdate")["partition"] ??= 0;
      defaultTemplate(s);
      requireSelectorMatchesTemplate(type, o, s);
      (o as Json)["spec"] = s;
      break;
    }
    case "apps/DaemonSet": {
      s["revisionHistoryLimit"] ??= 10;
      const strategy = obj(s, "updateStrategy");
      strategy["type"] ??= "RollingUpdate";
      if (strategy["type"] === "RollingUpdate") {
        const ru = obj(strategy, "rollingUpdate");
        ru["maxUnavailable"] ??= 1;
        ru["maxSurge"] ??= 0;
      }
      defaultTemplate(s);
      requireSelectorMatchesTemplate(type, o, s);
      (o as Json)["spec"] = s;
      break;
    }
    case "batch/Job": {
      s["parallelism"] ??= 1;
      s["completions"] ??= 1;
      s["backoffLimit"] ??= 6;
      s["completionMode"] ??= "NonIndexed";
      s["suspend"] ??= false;
      s["manualSelector"] ??= false;
      defaultTemplate(s);
      const template = s["template"] as Json;
      const tmeta = template["metadata"] as Json;
      if (!s["manualSelector"] && !s["selector"] && uid) {
        s["selector"] = { matchLabels: { "batch.kubernetes.io/controller-uid": uid } };
        tmeta["labels"] = {
          ...(tmeta["labels"] as Record<string, string> | undefined),
          "batch.kubernetes.io/controller-uid": uid,
          "batch.kubernetes.io/job-name": o.metadata.name,
          "controller-uid": uid,
          "job-name": o.metadata.name,
        };
      }
      const restart = (template["spec"] as Json)["restartPolicy"];
      if (restart !== "Never" && restart !== "OnFailure") {
        throw invalid(type, o.metadata.name, [{ field: "spec.template.spec.restartPolicy", message: `Unsupported value: "${String(restart)}": supported values: "OnFailure", "Never"` }]);
      }
      (o as Json)["spec"] = s;
      break;
    }
    case "batch/CronJob": {
      s["concurrencyPolicy"] ??= "Allow";
      s["suspend"] ??= false;
      s["successfulJobsHistoryLimit"] ??= 3;
      s["failedJobsHistoryLimit"] ??= 1;
      const jobTemplate = obj(s, "jobTemplate");
      const jobSpec = obj(jobTemplate, "spec");
      defaultTemplate(jobSpec);
      (o as Json)["spec"] = s;
      break;
    }
  }
}
