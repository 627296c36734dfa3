import { call, DECLINE, fail, json, ok, query, type Planned } from "./command.js";
import { serverError } from "./errors.js";
import { flagSet, parseFlags } from "./flags.js";

const LOG_FLAGS = {
  long: { container: "value", tail: "value", since: "value", previous: "bool" },
  short: { c: "container", p: "previous" },
} as const;

interface Pod {
  metadata?: { annotations?: Record<string, string> };
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[] };
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
 * `kubectl logs POD|pod/POD [-c C] [--tail N] [--since D] [--previous]`. Selectors, workloads (kubectl's pod
 * choice), `--all-containers`, `--prefix`, `-f` and timestamps are kubectl's.
 */
export function planLogs(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, LOG_FLAGS);
  if (!p || p.positionals.length !== 1) return undefined;
  let [pod = ""] = p.positionals;
  if (pod.startsWith("pod/") || pod.startsWith("pods/")) pod = pod.slice(pod.indexOf("/") + 1);
  if (pod === "" || pod.includes("/")) return undefined;
  const tail = p.flags.get("tail");
  if (tail !== undefined && !/^-?\d{1,9}$/.test(tail)) return undefined;
  const sinceText = p.flags.get("since");
  const since = sinceText === undefined ? undefined : durationSeconds(sinceText);
  if (sinceText !== undefined && (since === undefined || since <= 0)) return undefined;
  const previous = flagSet(p, "previous");
  return async (ctx) => {
    const namespace = p.flags.get("namespace") ?? ctx.defaultNamespace;
    const podPath = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}`;
    let container = p.flags.get("container");
    let notice = "";
    if (container === undefined) {
      const res = await call(ctx, { method: "GET", path: podPath });
      if (res.status !== 200) return serverError(res);
      const chosen = defaultContainer(json(res.body) as Pod | undefined);
      if (!chosen) return DECLINE;
      container = chosen.name;
      notice = chosen.notice;
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

