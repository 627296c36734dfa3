import { call, DECLINE, json, ok, query, resolveType, type Planned } from "./command.js";
import { collectionPath, kindPrefix, objectPath, type ResourceInfo } from "./discovery.js";
import { serverError } from "./errors.js";
import { oneObject, parseFlags } from "./flags.js";
import { selectorString } from "./logs.js";
import { alignColumns } from "./tabwriter.js";

const CHANGE_CAUSE = "kubernetes.io/change-cause";

interface Owned {
  metadata?: { annotations?: Record<string, string>; ownerReferences?: { uid?: string; controller?: boolean }[] };
  revision?: number;
}

/** Where each kind keeps its revisions: ReplicaSets (revision annotation) or ControllerRevisions (`.revision`). */
const HISTORY: Readonly<Record<string, { resource: string; revision: (o: Owned) => number | undefined }>> = {
  Deployment: { resource: "replicasets", revision: (o) => toRevision(o.metadata?.annotations?.["deployment.kubernetes.io/revision"]) },
  StatefulSet: { resource: "controllerrevisions", revision: (o) => o.revision },
  DaemonSet: { resource: "controllerrevisions", revision: (o) => o.revision },
};

function toRevision(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/**
 * `kubectl rollout history TYPE/NAME` (without `--revision`, which prints a pod template as describe does):
 * the revisions the object controls, in order, with their change causes.
 */
export function planRolloutHistory(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: {} });
  const ref = p && oneObject(p.positionals);
  if (!p || !ref) return undefined;
  return async (ctx) => {
    const info = await resolveType(ctx, ref.type);
    const history = info && info.group === "apps" ? HISTORY[info.kind] : undefined;
    if (!info || !history) return DECLINE;
    const namespace = p.flags.get("namespace") ?? ctx.defaultNamespace;
    const res = await call(ctx, { method: "GET", path: objectPath(info, namespace, ref.name) });
    if (res.status !== 200) return serverError(res);
    const obj = json(res.body) as { metadata?: { uid?: string }; spec?: { selector?: Parameters<typeof selectorString>[0] } } | undefined;
    const selector = selectorString(obj?.spec?.selector);
    const uid = obj?.metadata?.uid;
    if (selector === undefined || !uid) return DECLINE;
    const owned: ResourceInfo = { ...info, group: "apps", version: "v1", resource: history.resource };
    const listed = await call(ctx, { method: "GET", path: collectionPath(owned, namespace) + query({ labelSelector: selector }) });
    const items = listed.status === 200 ? (json(listed.body) as { items?: Owned[] } | undefined)?.items : undefined;
    if (!items) return DECLINE;
    const causes = new Map<number, string>();
    for (const item of items) {
      if (!item.metadata?.ownerReferences?.some((o) => o.controller === true && o.uid === uid)) continue;
      const revision = history.revision(item);
      if (revision === undefined) return DECLINE;
      causes.set(revision, item.metadata.annotations?.[CHANGE_CAUSE] ?? "");
    }
    // "No rollout history found." is printed differently; leave it to kubectl.
    if (causes.size === 0) return DECLINE;
    const rows = [...causes.entries()].sort(([a], [b]) => a - b).map(([r, cause]) => [String(r), cause === "" ? "<none>" : cause]);
    return ok(`${kindPrefix(info)}/${ref.name} \n${alignColumns([["REVISION", "CHANGE-CAUSE"], ...rows], 2)}\n`);
  };
}
