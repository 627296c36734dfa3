import { call, DECLINE, json, ok, query, resolveType, type Planned } from "./command.js";
import { collectionPath, kindPrefix, objectPath } from "./discovery.js";
import { serverError } from "./errors.js";
import { oneObject, parseFlags } from "./flags.js";
import { selectorString } from "./logs.js";

/** Annotations a rollback keeps from the deployment rather than taking from the ReplicaSet (kubectl's list). */
const SKIPPED = new Set([
  "kubectl.kubernetes.io/last-applied-configuration",
  "deployment.kubernetes.io/revision",
  "deployment.kubernetes.io/revision-history",
  "deployment.kubernetes.io/desired-replicas",
  "deployment.kubernetes.io/max-replicas",
  "deprecated.deployment.rollback.to",
]);
const HASH_LABEL = "pod-template-hash";

interface Template {
  metadata?: { labels?: Record<string, string>; [k: string]: unknown };
  [k: string]: unknown;
}
interface ReplicaSet {
  metadata?: { annotations?: Record<string, string>; ownerReferences?: { uid?: string; controller?: boolean }[] };
  spec?: { template?: Template };
}
interface Deployment {
  metadata?: { uid?: string; annotations?: Record<string, string> };
  spec?: { paused?: boolean; selector?: Parameters<typeof selectorString>[0]; template?: Template };
}

/**
 * `kubectl rollout undo deployment/NAME [--to-revision=N]`: the JSON patch kubectl sends — the chosen ReplicaSet's
 * pod template (without its hash label) and the deployment's annotations. Paused deployments, missing revisions and
 * templates that already match are kubectl's to report (nothing is written before that decision).
 */
export function planRolloutUndo(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { "to-revision": "value" } });
  const ref = p && oneObject(p.positionals);
  const to = p?.flags.get("to-revision") ?? "0";
  if (!p || !ref || !/^\d{1,15}$/.test(to)) return undefined;
  return async (ctx) => {
    const info = await resolveType(ctx, ref.type);
    if (!info || info.kind !== "Deployment" || info.group !== "apps") return DECLINE;
    const namespace = p.flags.get("namespace") ?? ctx.defaultNamespace;
    const path = objectPath(info, namespace, ref.name);
    const res = await call(ctx, { method: "GET", path });
    if (res.status !== 200) return serverError(res);
    const deployment = json(res.body) as Deployment | undefined;
    const selector = selectorString(deployment?.spec?.selector);
    const uid = deployment?.metadata?.uid;
    if (!deployment || deployment.spec?.paused === true || selector === undefined || !uid) return DECLINE;
    const rsInfo = { ...info, resource: "replicasets", kind: "ReplicaSet" };
    const listed = await call(ctx, { method: "GET", path: collectionPath(rsInfo, namespace) + query({ labelSelector: selector }) });
    const items = listed.status === 200 ? (json(listed.body) as { items?: ReplicaSet[] } | undefined)?.items : undefined;
    if (!items) return DECLINE;
    const byRevision = new Map<number, ReplicaSet>();
    for (const rs of items) {
      if (!rs.metadata?.ownerReferences?.some((o) => o.controller === true && o.uid === uid)) continue;
      const revision = rs.metadata.annotations?.["deployment.kubernetes.io/revision"];
      if (revision === undefined || !/^\d{1,15}$/.test(revision)) return DECLINE;
      byRevision.set(Number(revision), rs);
    }
    const revisions = [...byRevision.keys()].sort((a, b) => a - b);
    const target = Number(to) === 0 ? revisions[revisions.length - 2] : Number(to);
    const rs = target === undefined ? undefined : byRevision.get(target);
    const template = rs?.spec?.template;
    if (!rs || !template || sameIgnoringHash(template, deployment.spec?.template)) return DECLINE;
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(deployment.metadata?.annotations ?? {})) if (SKIPPED.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(rs.metadata?.annotations ?? {})) if (!SKIPPED.has(k)) annotations[k] = v;
    const patch = [
      { op: "replace", path: "/spec/template", value: withoutHash(template) },
      { op: "replace", path: "/metadata/annotations", value: annotations },
    ];
    const patched = await call(ctx, { method: "PATCH", path, contentType: "application/json-patch+json", body: JSON.stringify(patch) });
    if (patched.status < 200 || patched.status >= 300) return serverError(patched);
    return ok(`${kindPrefix(info)}/${ref.name} rolled back\n`);
  };
}

/** The template as kubectl's typed PodTemplateSpec serialises it: no hash label, `creationTimestamp: null`. */
function withoutHash(t: Template): Template {
  const labels = { ...t.metadata?.labels };
  delete labels[HASH_LABEL];
  return { ...t, metadata: { creationTimestamp: null, ...t.metadata, labels } };
}

function sameIgnoringHash(a: Template, b: Template | undefined): boolean {
  if (!b) return false;
  const strip = (t: Template): string => canonical({ ...t, metadata: { ...t.metadata, creationTimestamp: undefined, labels: Object.fromEntries(Object.entries(t.metadata?.labels ?? {}).filter(([k]) => k !== HASH_LABEL)) } });
  return strip(a) === strip(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v !== "object" || v === null) return JSON.stringify(v) ?? "null";
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && x !== null).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
}
