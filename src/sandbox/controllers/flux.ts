import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import { fnv32a } from "../names.js";
import type { Json, KubeObject } from "../types.js";
import { GITREPOSITORIES, KUSTOMIZATIONS, J, findCondition, spec, status, writeStatus } from "./util.js";

const REQUESTED_AT = "reconcile.fluxcd.io/requestedAt";

/** Whether Flux would act now: a new generation, an unhandled reconcile request, or never reconciled. */
function wantsReconcile(obj: KubeObject): boolean {
  if (spec(obj)["suspend"] === true) return false;
  const requested = obj.metadata.annotations?.[REQUESTED_AT];
  return status(obj)["observedGeneration"] !== obj.metadata.generation || (requested !== undefined && requested !== status(obj)["lastHandledReconcileAt"]) || !findCondition(obj, "Ready");
}

function ready(ok: boolean, reason: string, message: string, now: string, generation: number | undefined, previous: Json | undefined): Json {
  const s = ok ? "True" : "False";
  return { type: "Ready", status: s, observedGeneration: generation ?? 1, lastTransitionTime: previous?.["status"] === s ? previous["lastTransitionTime"] : now, reason, message };
}

function reconcileSources(cluster: Cluster, now: string): void {
  for (const repo of cluster.store.list(GITREPOSITORIES)) {
    if (!wantsReconcile(repo)) continue;
    const ref = J(spec(repo)["ref"]);
    const branch = String(ref["branch"] ?? "main");
    const sha = [0, 1, 2, 3, 4].map((i) => fnv32a(`${String(spec(repo)["url"])}#${branch}#${i}`).toString(16).padStart(8, "0")).join("");
    const revision = `${branch}@sha1:${sha}`;
    const requested = repo.metadata.annotations?.[REQUESTED_AT];
    writeStatus(cluster, repo, {
      ...status(repo),
      observedGeneration: repo.metadata.generation ?? 1,
      ...(requested ? { lastHandledReconcileAt: requested } : {}),
      artifact: { revision, digest: `sha256:${sha}${sha.slice(0, 24)}`, lastUpdateTime: now, path: `gitrepository/${repo.metadata.namespace}/${repo.metadata.name}/${sha}.tar.gz`, url: `http://source-controller.flux-system.svc.cluster.local./gitrepository/${repo.metadata.namespace}/${repo.metadata.name}/${sha}.tar.gz`, size: 40960 },
      conditions: [ready(true, "Succeeded", `stored artifact for revision '${revision}'`, now, repo.metadata.generation, findCondition(repo, "Ready"))],
    });
    cluster.events.record(repo, { type: "Normal", reason: "NewArtifact", message: `stored artifact for commit '${sha.slice(0, 7)}'`, source: { component: "source-controller" } });
  }
}

/** Flux's kustomize-controller as far as status goes: reconcile requests, suspension, the source's revision. */
export function reconcileFlux(cluster: Cluster): void {
  const now = rfc3339(cluster.now());
  reconcileSources(cluster, now);
  for (const ks of cluster.store.list(KUSTOMIZATIONS)) {
    if (!wantsReconcile(ks)) continue;
    const ref = J(spec(ks)["sourceRef"]);
    const source = ref["kind"] === "GitRepository" ? cluster.store.get(GITREPOSITORIES, String(ref["namespace"] ?? ks.metadata.namespace), String(ref["name"])) : undefined;
    const revision = J(status(source ?? ks)["artifact"])["revision"];
    const requested = ks.metadata.annotations?.[REQUESTED_AT];
    const ok = typeof revision === "string" && findCondition(source as KubeObject, "Ready")?.["status"] === "True";
    const message = ok ? `Applied revision: ${revision}` : `Source artifact not found, retrying in 30s`;
    writeStatus(cluster, ks, {
      ...status(ks),
      observedGeneration: ks.metadata.generation ?? 1,
      ...(requested ? { lastHandledReconcileAt: requested } : {}),
      ...(ok ? { lastAppliedRevision: revision, lastAttemptedRevision: revision } : {}),
      conditions: [ready(ok, ok ? "ReconciliationSucceeded" : "ArtifactFailed", message, now, ks.metadata.generation, findCondition(ks, "Ready"))],
    });
    cluster.events.record(ks, ok
      ? { type: "Normal", reason: "ReconciliationSucceeded", message: `Reconciliation finished in 1.2s, next run in ${String(spec(ks)["interval"] ?? "10m0s")}`, source: { component: "kustomize-controller" } }
      : { type: "Warning", reason: "ArtifactFailed", message, source: { component: "kustomize-controller" } });
  }
}
