import { isDeepStrictEqual } from "node:util";
import { rfc3339 } from "../age.js";
import type { Cluster } from "../cluster.js";
import { templateHash } from "../names.js";
import { clone } from "../types.js";
import type { Json, KubeObject } from "../types.js";
import {
  DEPLOYMENTS,
  REPLICASETS,
  J,
  condition,
  controlledBy,
  controllerRef,
  findCondition,
  intOrPercent,
  num,
  spec,
  status,
  writeObject,
  writeStatus,
} from "./util.js";

export const REVISION = "deployment.kubernetes.io/revision";
const HASH_LABEL = "pod-template-hash";

function withoutHash(template: unknown): Json {
  const t = clone(J(template));
  const meta = J(t["metadata"]);
  const labels = { ...J(meta["labels"]) };
  delete labels[HASH_LABEL];
  meta["labels"] = labels;
  t["metadata"] = meta;
  return t;
}

/** Template equality ignoring the pod-template-hash label, as the deployment controller compares them. */
function sameTemplate(a: unknown, b: unknown): boolean {
  const ta = J(a);
  const tb = J(b);
  const la = { ...J(J(ta["metadata"])["labels"]) };
  const lb = { ...J(J(tb["metadata"])["labels"]) };
  delete la[HASH_LABEL];
  delete lb[HASH_LABEL];
  return isDeepStrictEqual(la, lb) && isDeepStrictEqual(ta["spec"], tb["spec"]) && isDeepStrictEqual({ ...J(ta["metadata"]), labels: undefined }, { ...J(tb["metadata"]), labels: undefined });
}

export const revisionOf = (rs: KubeObject): number => Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;

function scaleTo(cluster: Cluster, deploy: KubeObject, rs: KubeObject, replicas: number): KubeObject {
  const from = num(spec(rs)["replicas"]);
  if (from === replicas) return rs;
  const next = clone(rs);
  next["spec"] = { ...spec(rs), replicas };
  next.metadata.annotations = { ...next.metadata.annotations, "deployment.kubernetes.io/desired-replicas": String(num(spec(deploy)["replicas"], 1)) };
  const written = writeObject(cluster, rs, next);
  cluster.events.record(deploy, {
    type: "Normal",
    reason: "ScalingReplicaSet",
    message: `Scaled ${replicas > from ? "up" : "down"} replica set ${rs.metadata.name} from ${from} to ${replicas}`,
    source: { component: "deployment-controller" },
  });
  return written;
}

function ensureNewReplicaSet(cluster: Cluster, deploy: KubeObject, owned: KubeObject[]): KubeObject {
  const template = J(spec(deploy)["template"]);
  const maxRevision = Math.max(0, ...owned.map(revisionOf));
  const existing = owned.find((rs) => sameTemplate(spec(rs)["template"], template));
  if (existing) {
    if (revisionOf(existing) < maxRevision) {
      // A rollback to an old template moves that ReplicaSet to the newest revision, like the real controller.
      const next = clone(existing);
      const previous = revisionOf(existing);
      const history = [existing.metadata.annotations?.["deployment.kubernetes.io/revision-history"], String(previous)].filter(Boolean).join(",");
      next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: String(maxRevision + 1), "deployment.kubernetes.io/revision-history": history };
      return writeObject(cluster, existing, next);
    }
    return existing;
  }
  const hash = templateHash(withoutHash(template));
  const rsTemplate = withoutHash(template);
  J(rsTemplate["metadata"])["labels"] = { ...J(J(rsTemplate["metadata"])["labels"]), [HASH_LABEL]: hash };
  const selector = clone(J(spec(deploy)["selector"]));
  selector["matchLabels"] = { ...J(selector["matchLabels"]), [HASH_LABEL]: hash };
  const replicas = num(spec(deploy)["replicas"], 1);
  const surge = intOrPercent(J(J(spec(deploy)["strategy"])["rollingUpdate"])["maxSurge"], replicas, true);
  const rs = cluster.store.create(REPLICASETS, {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${deploy.metadata.name}-${hash}`,
      namespace: deploy.metadata.namespace as string,
      labels: { ...(J(J(template["metadata"])["labels"]) as Record<string, string>), [HASH_LABEL]: hash },
      annotations: {
        [REVISION]: String(maxRevision + 1),
        "deployment.kubernetes.io/desired-replicas": String(replicas),
        "deployment.kubernetes.io/max-replicas": String(replicas + surge),
      },
      ownerReferences: [controllerRef(deploy)],
    },
    spec: { replicas: 0, minReadySeconds: num(spec(deploy)["minReadySeconds"]), selector, template: rsTemplate },
  });
  return rs;
}

function rollingUpdate(cluster: Cluster, deploy: KubeObject, newRS: KubeObject, olds: KubeObject[]): void {
  const replicas = num(spec(deploy)["replicas"], 1);
  const ru = J(J(spec(deploy)["strategy"])["rollingUpdate"]);
  const maxSurge = intOrPercent(ru["maxSurge"], replicas, true);
  let maxUnavailable = intOrPercent(ru["maxUnavailable"], replicas, false);
  if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  const all = [newRS, ...olds];
  const total = all.reduce((n, rs) => n + num(spec(rs)["replicas"]), 0);
  const newReplicas = num(spec(newRS)["replicas"]);
  if (newReplicas > replicas) newRS = scaleTo(cluster, deploy, newRS, replicas);
  else if (newReplicas < replicas && total < replicas + maxSurge) {
    newRS = scaleTo(cluster, deploy, newRS, Math.min(replicas, newReplicas + replicas + maxSurge - total));
  }
  const minAvailable = replicas - maxUnavailable;
  const newUnavailable = num(spec(newRS)["replicas"]) - num(status(newRS)["availableReplicas"]);
  const allCount = [newRS, ...olds].reduce((n, rs) => n + num(spec(rs)["replicas"]), 0);
  let budget = allCount - minAvailable - newUnavailable;
  if (budget <= 0) return;
  const oldest = [...olds].filter((rs) => num(spec(rs)["replicas"]) > 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  // First drop old pods that are not available anyway, then available ones within the budget.
  for (const [i, rs] of oldest.entries()) {
    const unhealthy = num(spec(rs)["replicas"]) - num(status(rs)["availableReplicas"]);
    const cut = Math.min(unhealthy, budget);
    if (cut > 0) {
      oldest[i] = scaleTo(cluster, deploy, rs, num(spec(rs)["replicas"]) - cut);
      budget -= cut;
    }
  }
  const available = [newRS, ...oldest].reduce((n, rs) => n + num(status(rs)["availableReplicas"]), 0);
  let canScaleDown = available - minAvailable;
  for (const rs of oldest) {
    if (canScaleDown <= 0) break;
    const current = num(spec(rs)["replicas"]);
    const cut = Math.min(current, canScaleDown);
    if (cut > 0) {
      scaleTo(cluster, deploy, rs, current - cut);
      canScaleDown -= cut;
    }
  }
}

function recreate(cluster: Cluster, deploy: KubeObject, newRS: KubeObject, olds: KubeObject[]): void {
  let oldRunning = 0;
  for (const rs of olds) {
    if (num(spec(rs)["replicas"]) > 0) scaleTo(cluster, deploy, rs, 0);
    oldRunning += num(status(rs)["replicas"]);
  }
  if (oldRunning === 0) scaleTo(cluster, deploy, newRS, num(spec(deploy)["replicas"], 1));
}

function cleanupHistory(cluster: Cluster, deploy: KubeObject, olds: KubeObject[]): void {
  const limit = num(spec(deploy)["revisionHistoryLimit"], 10);
  const idle = olds.filter((rs) => num(spec(rs)["replicas"]) === 0 && num(status(rs)["replicas"]) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) cluster.store.delete(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
}

function updateStatus(cluster: Cluster, deploy: KubeObject, newRS: KubeObject, olds: KubeObject[]): void {
  const now = rfc3339(cluster.now());
  const replicas = num(spec(deploy)["replicas"], 1);
  const all = [newRS, ...olds];
  const sum = (field: string): number => all.reduce((n, rs) => n + num(status(rs)[field]), 0);
  const available = sum("availableReplicas");
  const maxUnavailable = J(spec(deploy)["strategy"])["type"] === "Recreate" ? 0 : intOrPercent(J(J(spec(deploy)["strategy"])["rollingUpdate"])["maxUnavailable"], replicas, false);
  const numbers = {
    observedGeneration: deploy.metadata.generation ?? 1,
    replicas: sum("replicas"),
    updatedReplicas: num(status(newRS)["replicas"]),
    readyReplicas: sum("readyReplicas"),
    availableReplicas: available,
    ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
  };
  const previous = status(deploy);
  const prevProgressing = findCondition(deploy, "Progressing");
  const complete = numbers.updatedReplicas === replicas && numbers.replicas === replicas && available === replicas;
  const rsName = newRS.metadata.name;
  let progressing: Json;
  if (spec(deploy)["paused"] === true) progressing = condition("Progressing", false, "DeploymentPaused", "Deployment is paused", now, prevProgressing);
  else if (complete) progressing = condition("Progressing", true, "NewReplicaSetAvailable", `ReplicaSet "${rsName}" has successfully progressed.`, now, prevProgressing);
  else {
    const moved = (["replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "observedGeneration"] as const).some((k) => previous[k] !== numbers[k]);
    const lastUpdate = Date.parse(String(prevProgressing?.["lastUpdateTime"] ?? now));
    const deadline = num(spec(deploy)["progressDeadlineSeconds"], 600) * 1000;
    if (moved || !prevProgressing || prevProgressing["reason"] === "NewReplicaSetAvailable") {
      progressing = { ...condition("Progressing", true, "ReplicaSetUpdated", `ReplicaSet "${rsName}" is progressing.`, now, prevProgressing), lastUpdateTime: now };
    } else if (prevProgressing["reason"] !== "ProgressDeadlineExceeded" && cluster.now().getTime() - lastUpdate > deadline) {
      progressing = condition("Progressing", false, "ProgressDeadlineExceeded", `ReplicaSet "${rsName}" has timed out progressing.`, now, prevProgressing);
    } else progressing = prevProgressing;
  }
  const availableCondition =
    available >= replicas - maxUnavailable
      ? condition("Available", true, "MinimumReplicasAvailable", "Deployment has minimum availability.", now, findCondition(deploy, "Available"))
      : condition("Available", false, "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now, findCondition(deploy, "Available"));
  writeStatus(cluster, deploy, { ...numbers, conditions: [availableCondition, progressing] });
}

/**
 * What a reconcile of each deployment read (its resourceVersion and its ReplicaSets'), per cluster, when
 * that reconcile changed nothing. The controller is a function of those objects and, while a rollout is in
 * progress, of the clock (the progress deadline): a settled deployment whose objects did not change since
 * has nothing to do, and is skipped (the pass runs after every write, over every deployment).
 */
const settledInputs = new WeakMap<Cluster, Map<string, string>>();

/** Whether the deployment's status no longer depends on time: rolled out, paused, or past its deadline. */
function timeless(deploy: KubeObject): boolean {
  const reason = findCondition(deploy, "Progressing")?.["reason"];
  return spec(deploy)["paused"] === true || reason === "NewReplicaSetAvailable" || reason === "ProgressDeadlineExceeded";
}

export function reconcileDeployments(cluster: Cluster): void {
  let settled = settledInputs.get(cluster);
  if (settled === undefined) settledInputs.set(cluster, (settled = new Map()));
  for (const listed of cluster.store.list(DEPLOYMENTS)) {
    const owned = cluster.store.list(REPLICASETS, listed.metadata.namespace).filter((rs) => controlledBy(rs, listed));
    const uid = listed.metadata.uid ?? `${listed.metadata.namespace}/${listed.metadata.name}`;
    const inputs = `${listed.metadata.resourceVersion}:${owned.map((rs) => rs.metadata.resourceVersion).join(",")}`;
    if (settled.get(uid) === inputs && timeless(listed)) continue;
    const before = cluster.store.resourceVersion;
    reconcileDeployment(cluster, listed, owned);
    if (cluster.store.resourceVersion === before) settled.set(uid, inputs);
    else settled.delete(uid);
  }
}

function reconcileDeployment(cluster: Cluster, listed: KubeObject, owned: KubeObject[]): void {
  let deploy = listed;
  const paused = spec(deploy)["paused"] === true;
  const current = owned.find((rs) => sameTemplate(spec(rs)["template"], spec(deploy)["template"]));
  if (paused && !current) return;
  const newRS = ensureNewReplicaSet(cluster, deploy, owned);
  const olds = owned.filter((rs) => rs.metadata.uid !== newRS.metadata.uid);
  const revision = newRS.metadata.annotations?.[REVISION];
  if (revision && deploy.metadata.annotations?.[REVISION] !== revision) {
    const next = clone(deploy);
    next.metadata.annotations = { ...next.metadata.annotations, [REVISION]: revision };
    deploy = writeObject(cluster, deploy, next);
  }
  if (!paused) {
    if (J(spec(deploy)["strategy"])["type"] === "Recreate") recreate(cluster, deploy, newRS, olds);
    else rollingUpdate(cluster, deploy, newRS, olds);
    cleanupHistory(cluster, deploy, olds);
  }
  const refreshed = (rs: KubeObject): KubeObject | undefined => cluster.store.get(REPLICASETS, rs.metadata.namespace, rs.metadata.name);
  const freshNew = refreshed(newRS) ?? newRS;
  const freshOlds = olds.map(refreshed).filter((rs): rs is KubeObject => rs !== undefined);
  updateStatus(cluster, cluster.store.get(DEPLOYMENTS, deploy.metadata.namespace, deploy.metadata.name) ?? deploy, freshNew, freshOlds);
}
