import { call, DECLINE, fail, json, ok, query, resolveType, type CommandContext, type CommandOutput, type Planned } from "./command.js";
import { collectionPath } from "./discovery.js";
import { serverError } from "./errors.js";
import { oneObject, parseFlags } from "./flags.js";
import { durationSeconds } from "./logs.js";

interface Condition {
  type?: string;
  reason?: string;
}
interface Workload {
  metadata?: { name?: string; generation?: number; resourceVersion?: string };
  spec?: { replicas?: number; updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    readyReplicas?: number;
    currentReplicas?: number;
    updateRevision?: string;
    currentRevision?: string;
    conditions?: Condition[];
    updatedNumberScheduled?: number;
    desiredNumberScheduled?: number;
    numberAvailable?: number;
  };
}

/** One status reading: the line kubectl prints, whether the rollout is over, or the error that ends it. */
type Reading = { text: string; done: boolean } | { error: string };

const n = (v: number | undefined): number => v ?? 0;

/** kubectl's status viewers (kubectl/pkg/polymorphichelpers/rollout_status.go), message for message. */
const VIEWERS: Readonly<Record<string, (w: Workload) => Reading>> = {
  Deployment(w) {
    const name = w.metadata?.name ?? "";
    const s = w.status ?? {};
    if (n(w.metadata?.generation) > n(s.observedGeneration)) return { text: "Waiting for deployment spec update to be observed...\n", done: false };
    const progressing = s.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") return { error: `deployment "${name}" exceeded its progress deadline` };
    const replicas = w.spec?.replicas;
    if (replicas !== undefined && n(s.updatedReplicas) < replicas) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${n(s.updatedReplicas)} out of ${replicas} new replicas have been updated...\n`, done: false };
    }
    if (n(s.replicas) > n(s.updatedReplicas)) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${n(s.replicas) - n(s.updatedReplicas)} old replicas are pending termination...\n`, done: false };
    }
    if (n(s.availableReplicas) < n(s.updatedReplicas)) {
      return { text: `Waiting for deployment "${name}" rollout to finish: ${n(s.availableReplicas)} of ${n(s.updatedReplicas)} updated replicas are available...\n`, done: false };
    }
    return { text: `deployment "${name}" successfully rolled out\n`, done: true };
  },
  DaemonSet(w) {
    const name = w.metadata?.name ?? "";
    const s = w.status ?? {};
    if (w.spec?.updateStrategy?.type !== "RollingUpdate") return { error: "rollout status is only available for RollingUpdate strategy type" };
    if (n(w.metadata?.generation) > n(s.observedGeneration)) return { text: "Waiting for daemon set spec update to be observed...\n", done: false };
    if (n(s.updatedNumberScheduled) < n(s.desiredNumberScheduled)) {
      return { text: `Waiting for daemon set "${name}" rollout to finish: ${n(s.updatedNumberScheduled)} out of ${n(s.desiredNumberScheduled)} new pods have been updated...\n`, done: false };
    }
    if (n(s.numberAvailable) < n(s.desiredNumberScheduled)) {
      return { text: `Waiting for daemon set "${name}" rollout to finish: ${n(s.numberAvailable)} of ${n(s.desiredNumberScheduled)} updated pods are available...\n`, done: false };
    }
    return { text: `daemon set "${name}" successfully rolled out\n`, done: true };
  },
  StatefulSet(w) {
    const s = w.status ?? {};
    const strategy = w.spec?.updateStrategy;
    if (strategy?.type !== "RollingUpdate") return { error: "rollout status is only available for RollingUpdate strategy type" };
    if (n(s.observedGeneration) === 0 || n(w.metadata?.generation) > n(s.observedGeneration)) return { text: "Waiting for statefulset spec update to be observed...\n", done: false };
    const replicas = w.spec?.replicas;
    if (replicas !== undefined && n(s.readyReplicas) < replicas) return { text: `Waiting for ${replicas - n(s.readyReplicas)} pods to be ready...\n`, done: false };
    if (strategy.rollingUpdate) {
      const partition = strategy.rollingUpdate.partition;
      if (replicas !== undefined && partition !== undefined && n(s.updatedReplicas) < replicas - partition) {
        return { text: `Waiting for partitioned roll out to finish: ${n(s.updatedReplicas)} out of ${replicas - partition} new pods have been updated...\n`, done: false };
      }
      return { text: `partitioned roll out complete: ${n(s.updatedReplicas)} new pods have been updated...\n`, done: true };
    }
    if (s.updateRevision !== s.currentRevision) {
      return { text: `waiting for statefulset rolling update to complete ${n(s.updatedReplicas)} pods at revision ${s.updateRevision ?? ""}...\n`, done: false };
    }
    return { text: `statefulset rolling update complete ${n(s.currentReplicas)} pods at revision ${s.currentRevision ?? ""}...\n`, done: true };
  },
};

/**
 * `kubectl rollout status TYPE/NAME [--timeout=D]` for deployments, daemon sets and stateful sets: list the
 * object, print its status, and watch it — printing the status on every change, as kubectl does — until it is
 * rolled out, fails, or the timeout passes ("timed out waiting for the condition").
 */
export function planRolloutStatus(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { timeout: "value" } });
  if (!p || p.positionals.length !== 1) return undefined;
  const ref = oneObject(p.positionals);
  if (!ref || !p.positionals[0]?.includes("/")) return undefined;
  const { type, name } = ref;
  const timeoutText = p.flags.get("timeout");
  const timeoutSeconds = timeoutText === undefined ? 0 : timeoutText === "0" ? 0 : durationSeconds(timeoutText);
  if (timeoutSeconds === undefined) return undefined;
  return async (ctx) => {
    const info = await resolveType(ctx, type);
    const viewer = info && info.group === "apps" ? VIEWERS[info.kind] : undefined;
    if (!info || !viewer) return DECLINE;
    const collection = collectionPath(info, p.flags.get("namespace") ?? ctx.defaultNamespace);
    const fieldSelector = `metadata.name=${name}`;
    const listed = await call(ctx, { method: "GET", path: collection + query({ fieldSelector }) });
    if (listed.status !== 200) return serverError(listed);
    const list = json(listed.body) as { items?: Workload[]; metadata?: { resourceVersion?: string } } | undefined;
    if (!list?.items) return DECLINE;
    // Not there: kubectl's own NotFound, from its GET of the object.
    const [current] = list.items;
    if (!current) return serverError(await call(ctx, { method: "GET", path: `${collection}/${encodeURIComponent(name)}` }));
    let stdout = "";
    const step = (w: Workload): CommandOutput | undefined => {
      const r = viewer(w);
      if ("error" in r) return fail(`error: ${r.error}\n`, stdout);
      stdout += r.text;
      return r.done ? ok(stdout) : undefined;
    };
    const first = step(current);
    if (first) return first;
    return watch(ctx, collection, fieldSelector, list.metadata?.resourceVersion ?? "", timeoutSeconds, step, () => stdout);
  };
}

async function watch(
  ctx: CommandContext,
  collection: string,
  fieldSelector: string,
  resourceVersion: string,
  timeoutSeconds: number,
  step: (w: Workload) => CommandOutput | undefined,
  printed: () => string,
): Promise<CommandOutput> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(ctx.signal.reason);
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  const timer = timeoutSeconds > 0 ? setTimeout(() => ((timedOut = true), controller.abort()), timeoutSeconds * 1000) : undefined;
  let result: CommandOutput | undefined;
  try {
    const q = query({ watch: "true", fieldSelector, resourceVersion, allowWatchBookmarks: "true" });
    const res = await ctx.target.stream({ method: "GET", path: collection + q, signal: controller.signal }, (line) => {
      const event = json(line) as { type?: string; object?: Workload } | undefined;
      if (event?.type === "DELETED") result = fail("error: object has been deleted\n", printed());
      else if ((event?.type === "ADDED" || event?.type === "MODIFIED") && event.object) result = step(event.object);
      return result !== undefined;
    });
    if (result) return result;
    if (res.status !== 200) return serverError(res);
    // The server closed the watch without an answer: what kubectl would do next (re-list) is not modelled.
    return fail("error: the watch ended before the rollout finished\n", printed());
  } catch (error) {
    if (timedOut) return fail("error: timed out waiting for the condition\n", printed());
    throw error;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener("abort", onAbort);
  }
}
