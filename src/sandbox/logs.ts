import type { Cluster } from "./cluster.js";
import { badRequest } from "./status.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

export interface LogQuery {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps?: boolean;
  limitBytes?: number;
}

interface Line {
  at: number;
  text: string;
}

const HEARTBEAT_MS = 30_000;
const MAX_LINES = 2000;

const J = (o: unknown): Json => (isRecord(o) ? o : {});
const list = (o: unknown): Json[] => (Array.isArray(o) ? o.map(J) : []);

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(pod|container|image|n)\}/g, (_, k: string) => vars[k] ?? "");
}

function spaced(lines: string[], start: number, end: number, vars: Record<string, string>): Line[] {
  const step = lines.length > 1 ? Math.max(0, Math.min(1000, (end - start) / (lines.length - 1))) : 0;
  return lines.map((text, i) => ({ at: start + i * step, text: fill(text, vars) }));
}

/** Deterministic log text for one container of one pod, following its image's behaviour and its status. */
function containerLines(cluster: Cluster, pod: KubeObject, container: Json, cs: Json, previous: boolean): Line[] {
  const name = String(container["name"]);
  const image = String(container["image"] ?? "");
  const behavior = cluster.images.behavior(image);
  const restarts = typeof cs["restartCount"] === "number" ? cs["restartCount"] : 0;
  const vars = { pod: pod.metadata.name, container: name, image, n: String(restarts + (previous ? 0 : 1)) };
  const now = cluster.now().getTime();
  const state = J(cs["state"]);
  const last = J(J(cs["lastState"])["terminated"]);
  const waitingReason = J(state["waiting"])["reason"];
  // A container waiting on an image pull has no current instance: the kubelet serves the last terminated one.
  const pulling = waitingReason === "ImagePullBackOff" || waitingReason === "ErrImagePull";
  if ((previous || pulling) && behavior.behavior === "repull-error") {
    const lines = behavior.logs ?? ["starting {container} ({image})", "listening on :8080", "ready to serve requests", "exit status " + String(last["exitCode"] ?? 1)];
    return spaced(lines, Date.parse(String(last["startedAt"])), Date.parse(String(last["finishedAt"])), vars);
  }
  if (previous) {
    const start = Date.parse(String(last["startedAt"]));
    const end = Date.parse(String(last["finishedAt"]));
    const lines = behavior.previousLogs ?? ["starting {container} ({image}), attempt {n}", "loading configuration from /etc/{container}/config.yaml", "connecting to postgres at db:5432", `panic: dial tcp 10.96.0.12:5432: connect: connection refused`, "exit status " + String(last["exitCode"] ?? 1)];
    return spaced(lines, start, end, vars);
  }
  if (isRecord(state["terminated"])) {
    const t = state["terminated"];
    const lines = behavior.logs ?? ["starting {container} ({image})", "processing work items", "processed 128 items in 4.2s", "done"];
    return spaced(lines, Date.parse(String(t["startedAt"])), Date.parse(String(t["finishedAt"])), vars);
  }
  if (isRecord(state["waiting"]) && restarts > 0) {
    const lines = behavior.logs ?? ["starting {container} ({image}), attempt {n}", "loading configuration from /etc/{container}/config.yaml", "connecting to postgres at db:5432", "error: database \"orders\" does not exist", "shutting down"];
    return spaced(lines, now - 8000, now - 4000, vars);
  }
  const started = Date.parse(String(J(state["running"])["startedAt"]));
  const header = spaced(behavior.logs ?? ["starting {container} ({image})", "listening on :8080", "ready to serve requests"], started, started + 2000, vars);
  const beats: Line[] = [];
  for (let at = started + HEARTBEAT_MS, i = 1; at <= now; at += HEARTBEAT_MS, i++) {
    beats.push({ at, text: `GET /healthz 200 ${(0.4 + (i % 7) / 10).toFixed(1)}ms` });
  }
  return [...header, ...beats.slice(-MAX_LINES)];
}

function waitingMessage(pod: KubeObject, name: string, cs: Json | undefined): string | undefined {
  const waiting = J(J(cs?.["state"])["waiting"]);
  if (!cs) return `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`;
  if (cs["started"] === false && typeof cs["restartCount"] === "number" && cs["restartCount"] === 0 && waiting["reason"]) {
    const reason = waiting["reason"] === "ImagePullBackOff" || waiting["reason"] === "ErrImagePull" ? "trying and failing to pull image" : String(waiting["reason"]);
    return `container "${name}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`;
  }
  return undefined;
}

function nanoTimestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** The pods/log subresource: the text the kubelet would return for this query, or a 400 like the real one. */
export function podLogs(cluster: Cluster, pod: KubeObject, query: LogQuery): string {
  const spec = J(pod["spec"]);
  const status = J(pod["status"]);
  const containers = list(spec["containers"]);
  const inits = list(spec["initContainers"]);
  let name = query.container;
  if (!name) {
    if (containers.length !== 1) {
      const names = containers.map((c) => String(c["name"])).join(" ");
      const initNames = inits.length ? ` or one of the init containers: [${inits.map((c) => String(c["name"])).join(" ")}]` : "";
      throw badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names}]${initNames}`);
    }
    name = String(containers[0]?.["name"]);
  }
  const container = [...containers, ...inits].find((c) => c["name"] === name);
  if (!container) throw badRequest(`container ${name} is not valid for pod ${pod.metadata.name}`);
  const cs = [...list(status["containerStatuses"]), ...list(status["initContainerStatuses"])].find((s) => s["name"] === name);
  if (query.previous) {
    if (!cs || !isRecord(J(cs["lastState"])["terminated"])) throw badRequest(`previous terminated container "${name}" in pod "${pod.metadata.name}" not found`);
  } else {
    const waiting = waitingMessage(pod, name, cs);
    if (waiting) throw badRequest(waiting);
  }
  let lines = containerLines(cluster, pod, container, cs ?? {}, query.previous === true);
  const now = cluster.now().getTime();
  if (query.sinceSeconds !== undefined) lines = lines.filter((l) => l.at >= now - query.sinceSeconds! * 1000);
  if (query.sinceTime) lines = lines.filter((l) => l.at >= Date.parse(query.sinceTime!));
  if (query.tailLines !== undefined) lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
  let text = lines.map((l) => (query.timestamps ? `${nanoTimestamp(l.at)} ${l.text}\n` : `${l.text}\n`)).join("");
  if (query.limitBytes !== undefined) text = Buffer.from(text).subarray(0, query.limitBytes).toString();
  return text;
}
