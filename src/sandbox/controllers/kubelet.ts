import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import type { ImageBehavior } from "../images.js";
import { fnv32a } from "../names.js";
import type { Json, KubeObject } from "../types.js";
import { NODES, PODS, A, J, spec, status, writeStatus } from "./util.js";

const RESTARTING = new Set(["Always", "OnFailure"]);

function qosClass(podSpec: Json): string {
  const containers = A(podSpec["containers"]).map(J);
  const resources = containers.map((c) => J(c["resources"]));
  if (resources.every((r) => !Object.keys(J(r["requests"])).length && !Object.keys(J(r["limits"])).length)) return "BestEffort";
  const guaranteed = resources.every((r) => {
    const limits = J(r["limits"]);
    const requests = { ...limits, ...J(r["requests"]) };
    return limits["cpu"] !== undefined && limits["memory"] !== undefined && requests["cpu"] === limits["cpu"] && requests["memory"] === limits["memory"];
  });
  return guaranteed ? "Guaranteed" : "Burstable";
}

const hex = (seed: string, length: number): string => {
  let out = "";
  for (let i = 0; out.length < length; i++) out += fnv32a(`${seed}#${i}`).toString(16).padStart(8, "0");
  return out.slice(0, length);
};

interface Started {
  status: Json;
  /** The container ran (or runs); false while the image cannot be pulled. */
  started: boolean;
  ready: boolean;
  terminated?: { exitCode: number };
}

/**
 * The node agent: turns a bound pod into a running (or failing) one according to its images, and
 * records the events a kubelet would.
 */
export class Kubelet {
  private nextIp = new Map<string, number>();

  constructor(private readonly cluster: Cluster) {}

  private container(pod: KubeObject, c: Json, restartPolicy: string, node: string, init: boolean): Started {
    const name = String(c["name"]);
    const image = String(c["image"] ?? "");
    const behavior: ImageBehavior = this.cluster.images.behavior(image);
    const now = this.cluster.now();
    const at = (offsetSeconds: number): string => rfc3339(new Date(now.getTime() - offsetSeconds * 1000));
    const fieldPath = `${init ? "spec.initContainers" : "spec.containers"}{${name}}`;
    const event = (type: "Normal" | "Warning", reason: string, message: string, count = 1): void =>
      this.cluster.events.record(pod, { type, reason, message, source: { component: "kubelet", host: node }, fieldPath, count });
    const base = { name, image, imageID: "", containerID: "", restartCount: 0, started: false, ready: false };
    if (behavior.behavior === "pull-error") {
      event("Normal", "Pulling", `Pulling image "${image}"`);
      event("Warning", "Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`);
      event("Warning", "Failed", "Error: ErrImagePull");
      event("Normal", "BackOff", `Back-off pulling image "${image}"`);
      event("Warning", "Failed", "Error: ImagePullBackOff");
      return { started: false, ready: false, status: { ...base, state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } }, lastState: {} } };
    }
    const ids = { imageID: `${image.split(":")[0]}@sha256:${hex(image, 64)}`, containerID: `containerd://${hex(`${pod.metadata.uid}/${name}`, 64)}` };
    event("Normal", "Pulled", `Container image "${image}" already present on machine`);
    event("Normal", "Created", `Created container: ${name}`);
    event("Normal", "Started", `Started container ${name}`);
    const runsToCompletion = init || restartPolicy === "Never" || restartPolicy === "OnFailure";
    if (behavior.behavior === "run") {
      if (runsToCompletion) {
        return { started: true, ready: false, terminated: { exitCode: 0 }, status: { ...base, ...ids, state: { terminated: { exitCode: 0, reason: "Completed", startedAt: at(0), finishedAt: at(0), containerID: ids.containerID } }, lastState: {} } };
      }
      return { started: true, ready: true, status: { ...base, ...ids, started: true, ready: true, state: { running: { startedAt: at(0) } }, lastState: {} } };
    }
    // 137 is SIGKILL; the sandbox's images that exit with it were killed by the kernel's OOM killer.
    const exit = { exitCode: behavior.exitCode, reason: behavior.exitCode === 137 ? "OOMKilled" : "Error", containerID: ids.containerID };
    if (!RESTARTING.has(restartPolicy) || (init && restartPolicy === "Never")) {
      return { started: true, ready: false, terminated: { exitCode: behavior.exitCode }, status: { ...base, ...ids, state: { terminated: { ...exit, startedAt: at(0), finishedAt: at(0) } }, lastState: {} } };
    }
    if (behavior.behavior === "repull-error") {
      event("Normal", "Pulling", `Pulling image "${image}"`);
      event("Warning", "Failed", `Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`);
      event("Warning", "Failed", "Error: ErrImagePull");
      event("Normal", "BackOff", `Back-off pulling image "${image}"`);
      event("Warning", "Failed", "Error: ImagePullBackOff");
      return {
        started: true,
        ready: false,
        status: {
          ...base,
          ...ids,
          restartCount: 1,
          state: { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${image}"` } },
          lastState: { terminated: { ...exit, ...(behavior.exitCode === 137 ? { reason: "OOMKilled" } : {}), startedAt: at(0), finishedAt: at(0) } },
        },
      };
    }
    const restarts = behavior.restarts;
    event("Normal", "Pulled", `Container image "${image}" already present on machine`, restarts);
    event("Warning", "BackOff", `Back-off restarting failed container ${name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`, restarts * 4);
    return {
      started: true,
      ready: false,
      status: {
        ...base,
        ...ids,
        restartCount: restarts,
        state: { waiting: { reason: "CrashLoopBackOff", message: `back-off 5m0s restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})` } },
        lastState: { terminated: { ...exit, startedAt: at(95), finishedAt: at(90) } },
      },
    };
  }

  private podIp(node: KubeObject, nodeIndex: number): string {
    const next = (this.nextIp.get(node.metadata.name) ?? 1) + 1;
    this.nextIp.set(node.metadata.name, next);
    return `10.244.${nodeIndex}.${next}`;
  }

  private start(pod: KubeObject, node: KubeObject, nodeIndex: number): void {
    const podSpec = spec(pod);
    const nodeName = node.metadata.name;
    const restartPolicy = String(podSpec["restartPolicy"] ?? "Always");
    const now = rfc3339(this.cluster.now());
    const hostIP = A(status(node)["addresses"]).map(J).find((a) => a["type"] === "InternalIP")?.["address"] ?? "10.0.0.1";
    const initStatuses: Json[] = [];
    let initBlocked = false;
    for (const c of A(podSpec["initContainers"]).map(J)) {
      if (initBlocked) {
        initStatuses.push({ name: c["name"], image: c["image"], imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason: "PodInitializing" } }, lastState: {} });
        continue;
      }
      const result = this.container(pod, c, restartPolicy, nodeName, true);
      initStatuses.push(result.status);
      if (result.terminated?.exitCode !== 0) initBlocked = true;
    }
    const results: Started[] = [];
    const containerStatuses: Json[] = [];
    for (const c of A(podSpec["containers"]).map(J)) {
      if (initBlocked) {
        containerStatuses.push({ name: c["name"], image: c["image"], imageID: "", ready: false, restartCount: 0, started: false, state: { waiting: { reason: "PodInitializing" } }, lastState: {} });
        continue;
      }
      const result = this.container(pod, c, restartPolicy, nodeName, false);
      results.push(result);
      containerStatuses.push(result.status);
    }
    let phase = "Running";
    if (initBlocked || results.some((r) => !r.started)) phase = "Pending";
    else if (results.length && results.every((r) => r.terminated)) phase = results.every((r) => r.terminated?.exitCode === 0) ? "Succeeded" : "Failed";
    const allReady = !initBlocked && results.length > 0 && results.every((r) => r.ready);
    const unready = containerStatuses.filter((s) => s["ready"] !== true).map((s) => String(s["name"]));
    const readyCondition = (type: string): Json =>
      allReady
        ? { type, status: "True", lastProbeTime: null, lastTransitionTime: now }
        : {
            type,
            status: "False",
            lastProbeTime: null,
            lastTransitionTime: now,
            reason: phase === "Succeeded" || phase === "Failed" ? "PodCompleted" : "ContainersNotReady",
            ...(phase === "Succeeded" || phase === "Failed" ? {} : { message: `containers with unready status: [${unready.join(" ")}]` }),
          };
    const podIP = podSpec["hostNetwork"] === true ? String(hostIP) : this.podIp(node, nodeIndex);
    writeStatus(this.cluster, pod, {
      phase,
      conditions: [
        { type: "PodReadyToStartContainers", status: "True", lastProbeTime: null, lastTransitionTime: now },
        initBlocked ? { type: "Initialized", status: "False", lastProbeTime: null, lastTransitionTime: now, reason: "ContainersNotInitialized", message: "containers with incomplete status: [init]" } : { type: "Initialized", status: "True", lastProbeTime: null, lastTransitionTime: now },
        readyCondition("Ready"),
        readyCondition("ContainersReady"),
        { type: "PodScheduled", status: "True", lastProbeTime: null, lastTransitionTime: now },
      ],
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: now,
      ...(initStatuses.length ? { initContainerStatuses: initStatuses } : {}),
      containerStatuses,
      qosClass: qosClass(podSpec),
    });
  }

  /** Ephemeral containers added by `kubectl debug` start in the running pod; they never restart or report ready. */
  private startEphemeral(pod: KubeObject, nodeName: string): void {
    const statuses = A(status(pod)["ephemeralContainerStatuses"]).map(J);
    const known = new Set(statuses.map((s) => String(s["name"])));
    const pending = A(spec(pod)["ephemeralContainers"]).map(J).filter((c) => !known.has(String(c["name"])));
    if (pending.length === 0) return;
    const started = pending.map((c) => ({ ...this.container(pod, c, "Always", nodeName, false).status, ready: false }));
    writeStatus(this.cluster, pod, { ...status(pod), ephemeralContainerStatuses: [...statuses, ...started] });
  }

  reconcile(): void {
    const nodes = this.cluster.store.list(NODES).sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    for (const pod of this.cluster.store.list(PODS)) {
      const nodeName = spec(pod)["nodeName"];
      if (typeof nodeName !== "string") continue;
      if (status(pod)["startTime"]) {
        if (status(pod)["phase"] === "Running") this.startEphemeral(pod, nodeName);
        continue;
      }
      const index = nodes.findIndex((n) => n.metadata.name === nodeName);
      const node = nodes[index];
      if (node) this.start(pod, node, index + 1);
    }
  }
}
