import { call, DECLINE, fail, json, ok, query, type CommandContext, type Planned } from "./command.js";
import { collectionPath } from "./discovery.js";
import { serverError } from "./errors.js";
import { flagSet, isPathSafeName, parseFlags } from "./flags.js";
import { podForLogs, type PodForLogs } from "./pod-choice.js";

const LOG_FLAGS = {
  long: { container: "value", tail: "value", since: "value", previous: "bool" },
  short: { c: "container", p: "previous" },
} as const;

type Pod = PodForLogs;

/** Workloads whose logs kubectl reads from one of their pods, chosen by its logging order. */
const WORKLOADS: Readonly<Record<string, string>> = { Deployment: "apps", ReplicaSet: "apps", StatefulSet: "apps", DaemonSet: "apps", Job: "batch" };

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A LabelSelector as the query-string selector the list API takes; undefined for an operator it does not know. */
export function selectorString(sel: LabelSelector | undefined): string | undefined {
  if (!sel) return undefined;
  const parts = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const values = (e.values ?? []).join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${values})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${values})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
    else return undefined;
  }
  return parts.length === 0 ? undefined : parts.join(",");
}

/** Go duration ("10m", "1h30m", "45s", "1.5h") in seconds, rounded up as kubectl does; undefined if malformed. */
export function durationSeconds(text: string): number | undefined {
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000001 };
  const re = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|ns|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * (unit[m[2] as string] as number);
    matched = re.lastIndex;
  }
  if (text === "" || matched !== text.length) return undefined;
  return Math.ceil(total / 1000);
}

/**
 * `kubectl logs POD|TYPE/NAME [-c C] [--tail N] [--since D] [--previous]`, where TYPE/NAME is a pod or a workload
 * (deployment, replica set, stateful set, daemon set, job: the pod kubectl would pick). Selectors,
 * `--all-containers`, `--prefix`, `-f` and timestamps are kubectl's.
 */
export function planLogs(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, LOG_FLAGS);
  if (!p || p.positionals.length !== 1) return undefined;
  const [ref = ""] = p.positionals;
  const slash = ref.indexOf("/");
  const type = slash < 0 ? "pod" : ref.slice(0, slash);
  const objectName = slash < 0 ? ref : ref.slice(slash + 1);
  if (!isPathSafeName(objectName) || type === "") return undefined;
  const tail = p.flags.get("tail");
  if (tail !== undefined && !/^-?\d{1,9}$/.test(tail)) return undefined;
  const sinceText = p.flags.get("since");
  const since = sinceText === undefined ? undefined : durationSeconds(sinceText);
  if (sinceText !== undefined && (since === undefined || since <= 0)) return undefined;
  const previous = flagSet(p, "previous");
  return async (ctx) => {
    const namespace = p.flags.get("namespace") ?? ctx.defaultNamespace;
    const nsPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}`;
    let pod: string;
    let podObject: Pod | undefined;
    let notice = "";
    const info = await ctx.discovery.resolve(type, ctx.signal);
    if (info?.kind === "Pod" && info.group === "") {
      pod = objectName;
    } else {
      const chosen = info && WORKLOADS[info.kind] === info.group ? await workloadPod(ctx, `${collectionPath(info, namespace)}/${encodeURIComponent(objectName)}`, nsPath) : undefined;
      if (!chosen || chosen === DECLINE) return DECLINE;
      pod = chosen.name;
      podObject = chosen.pod;
      notice = chosen.notice;
    }
    const podPath = `${nsPath}/pods/${encodeURIComponent(pod)}`;
    if (!podObject) {
      // kubectl reads the pod first and words a missing one its own way ("… not found in namespace …").
      const res = await call(ctx, { method: "GET", path: podPath });
      if (res.status !== 200) return DECLINE;
      podObject = json(res.body) as Pod | undefined;
    }
    let container = p.flags.get("container");
    if (container === undefined) {
      const chosen = defaultContainer(podObject);
      if (!chosen) return DECLINE;
      container = chosen.name;
      notice += chosen.notice;
    } else if (!containerNames(podObject).includes(container)) {
      return DECLINE;
    }
    const q = query({
      container,
      previous: previous ? "true" : undefined,
      sinceSeconds: since === undefined ? undefined : String(since),
      tailLines: tail === undefined || Number(tail) < 0 ? undefined : String(Number(tail)),
    });
    const res = await call(ctx, { method: "GET", path: `${podPath}/log${q}` });
    if (res.status !== 200) {
      const err = serverError(res);
      return notice ? fail(notice + err.stderr) : err;
    }
    return ok(res.body, notice);
  };
}

/** The pod kubectl reads for a workload, with its "Found N pods" notice; a read error is returned as kubectl prints it. */
async function workloadPod(ctx: CommandContext, objectPath: string, nsPath: string): Promise<{ name: string; pod: Pod; notice: string } | typeof DECLINE> {
  const res = await call(ctx, { method: "GET", path: objectPath });
  // kubectl words a missing TYPE/NAME differently from a missing pod ("… not found in namespace …"): its own.
  if (res.status !== 200) return DECLINE;
  const selector = selectorString((json(res.body) as { spec?: { selector?: LabelSelector } } | undefined)?.spec?.selector);
  if (selector === undefined) return DECLINE;
  const listed = await call(ctx, { method: "GET", path: `${nsPath}/pods${query({ labelSelector: selector })}` });
  const pods = listed.status === 200 ? (json(listed.body) as { items?: Pod[] } | undefined)?.items : undefined;
  // No pod yet: kubectl waits for one to appear; that wait is its own.
  const chosen = pods && podForLogs(pods);
  const name = chosen?.metadata?.name;
  if (!pods || !chosen || !name) return DECLINE;
  return { name, pod: chosen, notice: pods.length > 1 ? `Found ${pods.length} pods, using pod/${name}\n` : "" };
}

function containerNames(pod: Pod | undefined): string[] {
  const spec = pod?.spec;
  return [...(spec?.containers ?? []), ...(spec?.initContainers ?? []), ...(spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

/**
 * kubectl's container choice: the `kubectl.kubernetes.io/default-container` annotation, else the first
 * container, with a "Defaulted container" notice when the pod has others.
 */
function defaultContainer(pod: Pod | undefined): { name: string; notice: string } | undefined {
  const containers = pod?.spec?.containers ?? [];
  const annotated = pod?.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  if (annotated !== undefined) return containers.some((c) => c.name === annotated) ? { name: annotated, notice: "" } : undefined;
  const [first] = containers;
  if (!first) return undefined;
  const all = [
    ...containers.map((c) => c.name),
    ...(pod?.spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
    ...(pod?.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
  ];
  return { name: first.name, notice: all.length > 1 ? `Defaulted container "${first.name}" out of: ${all.join(", ")}\n` : "" };
}

