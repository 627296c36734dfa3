import type { Cluster } from "../cluster.js";
import { templateHash } from "../names.js";
import { clone } from "../types.js";
import type { Json, KubeObject } from "../types.js";
import { REVISIONS, controlledBy, controllerRef, J, num, spec } from "./util.js";

export const REVISION_HASH_LABEL = "controller-revision-hash";

export interface Revision {
  name: string;
  revision: number;
  template: Json;
}

export function ownedRevisions(cluster: Cluster, owner: KubeObject): KubeObject[] {
  return cluster.store.list(REVISIONS, owner.metadata.namespace).filter((r) => controlledBy(r, owner));
}

function asRevision(cr: KubeObject): Revision {
  return { name: cr.metadata.name, revision: num(cr["revision"]), template: clone(J(J(J(cr["data"])["spec"])["template"])) };
}

/**
 * The ControllerRevision for the owner's current pod template (StatefulSets and DaemonSets keep their
 * rollout history this way), created with the next revision number when the template is new.
 */
export function ensureRevision(cluster: Cluster, owner: KubeObject): Revision {
  const stored = J(spec(owner)["template"]);
  const hash = templateHash(stored);
  const name = `${owner.metadata.name}-${hash}`;
  const owned = ownedRevisions(cluster, owner);
  const existing = owned.find((r) => r.metadata.name === name);
  if (existing) return asRevision(existing);
  const template = clone(stored);
  const revision = Math.max(0, ...owned.map((r) => num(r["revision"]))) + 1;
  const labels = J(J(template["metadata"])["labels"]) as Record<string, string>;
  const created = cluster.store.create(REVISIONS, {
    apiVersion: "apps/v1",
    kind: "ControllerRevision",
    metadata: {
      name,
      namespace: owner.metadata.namespace as string,
      labels: { ...labels, [REVISION_HASH_LABEL]: hash },
      ownerReferences: [controllerRef(owner)],
    },
    data: { spec: { template: { ...template, $patch: "replace" } } },
    revision,
  });
  return asRevision(created);
}

export function findRevision(cluster: Cluster, owner: KubeObject, name: string): Revision | undefined {
  const found = ownedRevisions(cluster, owner).find((r) => r.metadata.name === name);
  return found ? asRevision(found) : undefined;
}

export function revisionTemplate(revision: Revision): Json {
  const template = clone(revision.template);
  delete template["$patch"];
  return template;
}
