import { since } from "./age.js";
import type { ResourceType } from "./resources.js";
import { selectorToString } from "./selectors.js";
import type { LabelSelectorObject } from "./selectors.js";
import { A, J, NAME, age, col, num, spec, status, str } from "./cells.js";
import type { Printer } from "./cells.js";
import { EXTRA_PRINTERS } from "./printers.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";


function templateSpec(o: KubeObject): Json {
  return J(J(spec(o)["template"])["spec"]);
}
const containerNames = (podSpec: Json): string => A(podSpec["containers"]).map((c) => str(J(c)["name"])).join(",");
const images = (podSpec: Json): string => A(podSpec["containers"]).map((c) => str(J(c)["image"])).join(",");
const selectorOf = (o: KubeObject): string => selectorToString(J(spec(o)["selector"]) as LabelSelectorObject) || "<none>";

/** The STATUS column of `kubectl get pods`, following the API server's pod printer. */
export function podStatusReason(pod: KubeObject): string {
  const st = status(pod);
  let reason = str(st["reason"]) || str(st["phase"]);
  let initializing = false;
  const initStatuses = A(st["initContainerStatuses"]);
  const initCount = A(spec(pod)["initContainers"]).length;
  for (const [i, raw] of initStatuses.entries()) {
    const state = J(J(raw)["state"]);
    const terminated = isRecord(state["terminated"]) ? state["terminated"] : undefined;
    const waiting = isRecord(state["waiting"]) ? state["waiting"] : undefined;
    if (terminated && num(terminated["exitCode"]) === 0) continue;
    initializing = true;
    if (terminated) reason = `Init:${str(terminated["reason"]) || `ExitCode:${num(terminated["exitCode"])}`}`;
    else if (waiting && str(waiting["reason"]) && waiting["reason"] !== "PodInitializing") reason = `Init:${str(waiting["reason"])}`;
    else reason = `Init:${i}/${initCount}`;
    break;
  }
  if (!initializing) {
    let hasRunning = false;
    const statuses = A(st["containerStatuses"]);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = J(statuses[i]);
      const state = J(cs["state"]);
      const waiting = J(state["waiting"]);
      const terminated = isRecord(state["terminated"]) ? state["terminated"] : undefined;
      if (str(waiting["reason"])) reason = str(waiting["reason"]);
      else if (terminated) reason = str(terminated["reason"]) || `ExitCode:${num(terminated["exitCode"])}`;
      else if (cs["ready"] === true && isRecord(state["running"])) hasRunning = true;
    }
    if (reason === "Completed" && hasRunning) reason = "Running";
  }
  if (pod.metadata.deletionTimestamp) reason = "Terminating";
  return reason;
}

function podRestarts(pod: KubeObject, now: Date): string {
  let restarts = 0;
  let last = 0;
  for (const raw of [...A(status(pod)["initContainerStatuses"]), ...A(status(pod)["containerStatuses"])]) {
    const cs = J(raw);
    restarts += num(cs["restartCount"]);
    const finished = str(J(J(cs["lastState"])["terminated"])["finishedAt"]);
    if (finished) last = Math.max(last, Date.parse(finished));
  }
  return restarts !== 0 && last > 0 ? `${restarts} (${since(new Date(last).toISOString(), now)} ago)` : String(restarts);
}

function readyCount(pod: KubeObject): string {
  const statuses = A(status(pod)["containerStatuses"]);
  const ready = statuses.filter((s) => J(s)["ready"] === true).length;
  return `${ready}/${A(spec(pod)["containers"]).length}`;
}

function nodeStatus(node: KubeObject): string {
  const ready = A(status(node)["conditions"]).map(J).find((c) => c["type"] === "Ready");
  const parts = [ready?.["status"] === "True" ? "Ready" : ready ? "NotReady" : "Unknown"];
  if (spec(node)["unschedulable"] === true) parts.push("SchedulingDisabled");
  return parts.join(",");
}

function nodeRoles(node: KubeObject): string {
  const roles = Object.entries(node.metadata.labels ?? {})
    .flatMap(([k, v]) => (k.startsWith("node-role.kubernetes.io/") ? [k.slice("node-role.kubernetes.io/".length)] : k === "kubernetes.io/role" ? [v] : []))
    .filter((r) => r !== "");
  return roles.length ? roles.sort().join(",") : "<none>";
}

function address(node: KubeObject, type: string): string {
  const found = A(status(node)["addresses"]).map(J).find((a) => a["type"] === type);
  return found ? str(found["address"]) : "<none>";
}

function servicePorts(svc: KubeObject): string {
  const ports = A(spec(svc)["ports"]).map(J);
  if (!ports.length) return "<none>";
  return ports.map((p) => `${num(p["port"])}${p["nodePort"] ? `:${num(p["nodePort"])}` : ""}/${str(p["protocol"], "TCP")}`).join(",");
}

function condition(o: KubeObject, type: string): Json | undefined {
  return A(status(o)["conditions"]).map(J).find((c) => c["type"] === type);
}

function jobStatus(job: KubeObject): string {
  for (const [type, label] of [
    ["Failed", "Failed"],
    ["Complete", "Complete"],
    ["Suspended", "Suspended"],
    ["FailureTarget", "FailureTarget"],
    ["SuccessCriteriaMet", "SuccessCriteriaMet"],
  ] as const) {
    if (condition(job, type)?.["status"] === "True") return label;
  }
  return "Running";
}

function jobDuration(job: KubeObject, now: Date): string {
  const start = str(status(job)["startTime"]);
  if (!start) return "";
  const end = str(status(job)["completionTime"]);
  const to = end ? new Date(end) : now;
  return since(start, to);
}

function eventObject(ev: KubeObject): string {
  const io = J(ev["involvedObject"]);
  return str(io["name"]) ? `${str(io["kind"]).toLowerCase()}/${str(io["name"])}` : str(io["kind"]).toLowerCase();
}

function eventLastSeen(ev: KubeObject, now: Date): string {
  const last = str(ev["lastTimestamp"]) || str(ev["eventTime"]) || ev.metadata.creationTimestamp;
  return since(last, now);
}

function intOrPercent(v: unknown): string {
  return v === undefined || v === null ? "N/A" : String(v);
}

function dataCount(o: KubeObject): number {
  return Object.keys(J(o["data"])).length + Object.keys(J(o["binaryData"])).length;
}

const conditionCell = (type: string, field: string) => (o: KubeObject) => str(condition(o, type)?.[field]);

const PRINTERS: Record<string, Printer> = {
  "/Namespace": { columns: [NAME, col("Status"), col("Age")], cells: (o, now) => [str(status(o)["phase"]), age(o, now)] },
  "/Pod": {
    columns: [NAME, col("Ready"), col("Status"), col("Restarts"), col("Age"), col("IP", "string", 1), col("Node", "string", 1), col("Nominated Node", "string", 1), col("Readiness Gates", "string", 1)],
    cells: (o, now) => [
      readyCount(o),
      podStatusReason(o),
      podRestarts(o, now),
      age(o, now),
      str(status(o)["podIP"], "<none>"),
      str(spec(o)["nodeName"], "<none>"),
      str(status(o)["nominatedNodeName"], "<none>"),
      "<none>",
    ],
  },
  "/Node": {
    columns: [NAME, col("Status"), col("Roles"), col("Age"), col("Version"), col("Internal-IP", "string", 1), col("External-IP", "string", 1), col("OS-Image", "string", 1), col("Kernel-Version", "string", 1), col("Container-Runtime", "string", 1)],
    cells: (o, now) => {
      const info = J(status(o)["nodeInfo"]);
      return [nodeStatus(o), nodeRoles(o), age(o, now), str(info["kubeletVersion"]), address(o, "InternalIP"), address(o, "ExternalIP"), str(info["osImage"]), str(info["kernelVersion"]), str(info["containerRuntimeVersion"])];
    },
  },
  "/Event": {
    columns: [col("Last Seen"), col("Type"), col("Reason"), col("Object"), col("Subobject", "string", 1), col("Source", "string", 1), col("Message"), col("First Seen", "string", 1), col("Count", "integer", 1), { ...NAME, priority: 1 }],
    cells: (o, now) => {
      const src = J(o["source"]);
      return [
        eventLastSeen(o, now),
        str(o["type"]),
        str(o["reason"]),
        eventObject(o),
        str(J(o["involvedObject"])["fieldPath"]),
        [str(src["component"]), str(src["host"])].filter(Boolean).join(", "),
        str(o["message"]).trim(),
        since(str(o["firstTimestamp"]) || o.metadata.creationTimestamp, now),
        num(o["count"]) || 1,
        o.metadata.name,
      ];
    },
  },
  "/ConfigMap": { columns: [NAME, col("Data", "integer"), col("Age")], cells: (o, now) => [dataCount(o), age(o, now)] },
  "/Secret": { columns: [NAME, col("Type"), col("Data", "integer"), col("Age")], cells: (o, now) => [str(o["type"]), dataCount(o), age(o, now)] },
  "/Service": {
    columns: [NAME, col("Type"), col("Cluster-IP"), col("External-IP"), col("Port(s)"), col("Age"), col("Selector", "string", 1)],
    cells: (o, now) => [
      str(spec(o)["type"]),
      str(spec(o)["clusterIP"], "<none>"),
      A(spec(o)["externalIPs"]).join(",") || "<none>",
      servicePorts(o),
      age(o, now),
      Object.entries(J(spec(o)["selector"])).map(([k, v]) => `${k}=${String(v)}`).join(",") || "<none>",
    ],
  },
  "/Endpoints": {
    columns: [NAME, col("Endpoints"), col("Age")],
    cells: (o, now) => {
      const eps = A(o["subsets"]).flatMap((s) => A(J(s)["addresses"]).flatMap((a) => A(J(s)["ports"]).map((p) => `${str(J(a)["ip"])}:${num(J(p)["port"])}`)));
      return [eps.length ? eps.slice(0, 3).join(",") + (eps.length > 3 ? ` + ${eps.length - 3} more...` : "") : "<none>", age(o, now)];
    },
  },
  "/ServiceAccount": { columns: [NAME, col("Secrets", "integer"), col("Age")], cells: (o, now) => [A(o["secrets"]).length, age(o, now)] },
  "apps/Deployment": {
    columns: [NAME, col("Ready"), col("Up-to-date", "integer"), col("Available", "integer"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)],
    cells: (o, now) => [
      `${num(status(o)["readyReplicas"])}/${num(spec(o)["replicas"])}`,
      num(status(o)["updatedReplicas"]),
      num(status(o)["availableReplicas"]),
      age(o, now),
      containerNames(templateSpec(o)),
      images(templateSpec(o)),
      selectorOf(o),
    ],
  },
  "apps/ReplicaSet": {
    columns: [NAME, col("Desired", "integer"), col("Current", "integer"), col("Ready", "integer"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)],
    cells: (o, now) => [num(spec(o)["replicas"]), num(status(o)["replicas"]), num(status(o)["readyReplicas"]), age(o, now), containerNames(templateSpec(o)), images(templateSpec(o)), selectorOf(o)],
  },
  "apps/StatefulSet": {
    columns: [NAME, col("Ready"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1)],
    cells: (o, now) => [`${num(status(o)["readyReplicas"])}/${num(spec(o)["replicas"])}`, age(o, now), containerNames(templateSpec(o)), images(templateSpec(o))],
  },
  "apps/DaemonSet": {
    columns: [NAME, col("Desired", "integer"), col("Current", "integer"), col("Ready", "integer"), col("Up-to-date", "integer"), col("Available", "integer"), col("Node Selector"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)],
    cells: (o, now) => {
      const s = status(o);
      const nodeSelector = Object.entries(J(templateSpec(o)["nodeSelector"])).map(([k, v]) => `${k}=${String(v)}`).join(",") || "<none>";
      return [num(s["desiredNumberScheduled"]), num(s["currentNumberScheduled"]), num(s["numberReady"]), num(s["updatedNumberScheduled"]), num(s["numberAvailable"]), nodeSelector, age(o, now), containerNames(templateSpec(o)), images(templateSpec(o)), selectorOf(o)];
    },
  },
  "apps/ControllerRevision": {
    columns: [NAME, col("Controller"), col("Revision", "integer"), col("Age")],
    cells: (o, now) => {
      const owner = o.metadata.ownerReferences?.find((r) => r.controller);
      return [owner ? `${owner.kind.toLowerCase()}.apps/${owner.name}` : "<none>", num(o["revision"]), age(o, now)];
    },
  },
  "batch/Job": {
    columns: [NAME, col("Status"), col("Completions"), col("Duration"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)],
    cells: (o, now) => [jobStatus(o), `${num(status(o)["succeeded"])}/${num(spec(o)["completions"]) || 1}`, jobDuration(o, now), age(o, now), containerNames(templateSpec(o)), images(templateSpec(o)), selectorOf(o)],
  },
  "batch/CronJob": {
    columns: [NAME, col("Schedule"), col("Timezone"), col("Suspend", "boolean"), col("Active", "integer"), col("Last Schedule"), col("Age"), col("Containers", "string", 1), col("Images", "string", 1), col("Selector", "string", 1)],
    cells: (o, now) => {
      const jobSpec = J(J(spec(o)["jobTemplate"])["spec"]);
      const podSpec = J(J(jobSpec["template"])["spec"]);
      const last = str(status(o)["lastScheduleTime"]);
      return [str(spec(o)["schedule"]), str(spec(o)["timeZone"], "<none>"), spec(o)["suspend"] === true, A(status(o)["active"]).length, last ? since(last, now) : "<none>", age(o, now), containerNames(podSpec), images(podSpec), selectorToString(J(jobSpec["selector"]) as LabelSelectorObject) || "<none>"];
    },
  },
  "policy/PodDisruptionBudget": {
    columns: [NAME, col("Min Available"), col("Max Unavailable"), col("Allowed Disruptions", "integer"), col("Age")],
    cells: (o, now) => [intOrPercent(spec(o)["minAvailable"]), intOrPercent(spec(o)["maxUnavailable"]), num(status(o)["disruptionsAllowed"]), age(o, now)],
  },
  "scheduling.k8s.io/PriorityClass": {
    columns: [NAME, col("Value", "integer"), col("Global-Default", "boolean"), col("Age"), col("PreemptionPolicy")],
    cells: (o, now) => [num((o as Json)["value"]), (o as Json)["globalDefault"] === true, age(o, now), str((o as Json)["preemptionPolicy"])],
  },
  "coordination.k8s.io/Lease": { columns: [NAME, col("Holder"), col("Age")], cells: (o, now) => [str(spec(o)["holderIdentity"]), age(o, now)] },
  "kustomize.toolkit.fluxcd.io/Kustomization": {
    columns: [NAME, col("Age", "date"), col("Ready"), col("Status")],
    cells: (o, now) => [age(o, now), conditionCell("Ready", "status")(o), conditionCell("Ready", "message")(o)],
  },
  "helm.toolkit.fluxcd.io/HelmRelease": {
    columns: [NAME, col("Age", "date"), col("Ready"), col("Status")],
    cells: (o, now) => [age(o, now), conditionCell("Ready", "status")(o), conditionCell("Ready", "message")(o)],
  },
  "source.toolkit.fluxcd.io/GitRepository": {
    columns: [NAME, col("URL"), col("Age", "date"), col("Ready"), col("Status")],
    cells: (o, now) => [str(spec(o)["url"]), age(o, now), conditionCell("Ready", "status")(o), conditionCell("Ready", "message")(o)],
  },
};

const DEFAULT_PRINTER: Printer = { columns: [NAME, col("Age")], cells: (o, now) => [age(o, now)] };

export type IncludeObject = "None" | "Metadata" | "Object";

function rowObject(o: KubeObject, include: IncludeObject): unknown {
  if (include === "None") return undefined;
  if (include === "Object") return o;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
}

/**
 * A meta.k8s.io/v1 Table for objects of one resource. Printers are keyed by the stored kind, so
 * events.k8s.io events print like core events (they share storage and the printer reads core fields).
 */
export function toTable(type: Pick<ResourceType, "group" | "kind" | "storedAs">, objects: KubeObject[], stored: (o: KubeObject) => KubeObject, include: IncludeObject, listMeta: Json, now: Date): Json {
  const key = `${type.storedAs ? type.storedAs.group : type.group}/${type.kind}`;
  const printer = PRINTERS[key] ?? EXTRA_PRINTERS[key] ?? DEFAULT_PRINTER;
  const hasName = printer.columns.some((c) => c.format === "name");
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => {
      const cells = printer.cells(stored(o), now);
      const row: Json = { cells: hasName && printer.columns[0]?.format === "name" ? [o.metadata.name, ...cells] : cells };
      const object = rowObject(o, include);
      if (object !== undefined) row["object"] = object;
      return row;
    }),
  };
}
