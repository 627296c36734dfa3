import type { NextOperation, NextRequest } from "./types.js";
import { selectorOf, validLabel, validName } from "./text.js";

/**
 * The follow-up operations findings point to, one builder per card. Each returns undefined unless every
 * value taken from the cluster is a valid name, so a hostile object name never reaches a request.
 */
function op(cardId: string, request: NextRequest, changesCluster = false): NextOperation {
  return { cardId, request, changesCluster };
}

function inNamespace(namespace: string | undefined, name: string): { namespace: string; name: string } | undefined {
  return validLabel(namespace) && validName(name) ? { namespace, name } : undefined;
}

export interface Tools {
  /** Whether the flux CLI is installed (its cards are preferred then, as the pipeline does). */
  readonly flux: boolean;
}

export const nextFor = {
  crashLoop(namespace: string | undefined, pod: string, container: string | undefined): NextOperation | undefined {
    const at = inNamespace(namespace, pod);
    if (!at || (container !== undefined && !validLabel(container))) return undefined;
    return op("pod-crashloop-diagnose", { intent: "diagnose", resource: "pod", ...at, goal: "crashloop previous logs", ...(container ? { params: { container } } : {}) });
  },
  imagePull(namespace: string | undefined, pod: string): NextOperation | undefined {
    const at = inNamespace(namespace, pod);
    return at && op("pod-imagepull-diagnose", { intent: "diagnose", resource: "pod", ...at, goal: "imagepullbackoff image pull" });
  },
  describePod(namespace: string | undefined, pod: string): NextOperation | undefined {
    const at = inNamespace(namespace, pod);
    return at && op("pod-describe", { intent: "describe", resource: "pod", ...at });
  },
  podLogs(namespace: string | undefined, pod: string): NextOperation | undefined {
    const at = inNamespace(namespace, pod);
    return at && op("pod-logs", { intent: "logs", resource: "pod", ...at });
  },
  stuckRollout(namespace: string | undefined, name: string, matchLabels: unknown): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    const selector = selectorOf(matchLabels);
    // The rollout is known to be stuck: its first step need not wait the card's default 30s to say so.
    return at && selector ? op("deployment-rollout-stuck-diagnose", { intent: "diagnose", resource: "deployment", ...at, selector, params: { timeout: "5s" } }) : undefined;
  },
  rollbackDeployment(namespace: string | undefined, name: string): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    return at && op("deployment-rollout-undo", { intent: "undo", resource: "deployment", ...at }, true);
  },
  rolloutStatus(resource: "deployment" | "statefulset" | "daemonset", namespace: string | undefined, name: string): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    return at && op(`${resource}-rollout-status`, { intent: "status", resource, ...at });
  },
  workloadEvents(resource: "deployment" | "statefulset" | "daemonset", namespace: string | undefined, name: string): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    return at && op(`${resource}-events`, { intent: "events", resource, ...at });
  },
  describeNode(name: string): NextOperation | undefined {
    return validName(name) ? op("node-describe", { intent: "describe", resource: "node", name }) : undefined;
  },
  uncordon(name: string): NextOperation | undefined {
    return validName(name) ? op("node-uncordon", { intent: "uncordon", resource: "node", name }, true) : undefined;
  },
  objectEvents(namespace: string | undefined, name: string, kind: string): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    return at && EVENT_KINDS.has(kind) ? op("events-for-object", { intent: "events", resource: "event", ...at, params: { kind } }) : undefined;
  },
  kustomizations(namespace: string | undefined, tools: Tools): NextOperation | undefined {
    if (!validLabel(namespace)) return undefined;
    return tools.flux
      ? op("flux-get-kustomizations", { intent: "get", resource: "kustomization", namespace, params: { status_selector: "ready=false" } })
      : op("kustomization-get-kubectl", { intent: "get", resource: "kustomization", namespace });
  },
  resumeKustomization(namespace: string | undefined, name: string, tools: Tools): NextOperation | undefined {
    const at = inNamespace(namespace, name);
    if (!at) return undefined;
    return op(tools.flux ? "flux-resume-kustomization" : "kustomization-resume-kubectl", { intent: "resume", resource: "kustomization", ...at }, true);
  },
};

/** The kinds the events-for-object card accepts. */
const EVENT_KINDS = new Set(["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "Service", "PersistentVolumeClaim", "HorizontalPodAutoscaler", "Node"]);
