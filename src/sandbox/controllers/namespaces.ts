import type { Cluster } from "../cluster.js";
import { RESOURCES, typeOf } from "../resources.js";
import type { KubeObject } from "../types.js";
import { A, spec, status } from "./util.js";

const NAMESPACES = typeOf("", "namespaces");
const SERVICE_ACCOUNTS = typeOf("", "serviceaccounts");

/** The conditions the namespace controller reports while it empties a namespace (all clear here). */
function deletionConditions(now: string): Record<string, unknown>[] {
  return [
    ["NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered", "All resources successfully discovered"],
    ["NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions", "All legacy kube types successfully parsed"],
    ["NamespaceDeletionContentFailure", "ContentDeleted", "All content successfully deleted, may be waiting on finalization"],
    ["NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"],
    ["NamespaceFinalizersRemaining", "ContentHasNoFinalizers", "All content-preserving finalizers finished"],
  ].map(([type, reason, message]) => ({ type, status: "False", lastTransitionTime: now, reason, message }));
}

/**
 * A namespace marked for deletion: its content is deleted, then the "kubernetes" finalizer is removed
 * (the finalize subresource), then the namespace itself goes once no finalizer remains.
 */
function terminate(cluster: Cluster, ns: KubeObject): void {
  const name = ns.metadata.name;
  for (const type of RESOURCES) {
    if (!type.namespaced || type.storedAs || type.virtual) continue;
    for (const obj of cluster.store.list(type, name)) cluster.store.delete(type, name, obj.metadata.name);
  }
  const finalizers = A(spec(ns)["finalizers"]).filter((f) => f !== "kubernetes");
  if (finalizers.length === 0 && !(ns.metadata.finalizers ?? []).length) {
    cluster.store.delete(NAMESPACES, undefined, name);
    return;
  }
  if (finalizers.length !== A(spec(ns)["finalizers"]).length || !status(ns)["conditions"]) {
    const next = { ...ns, metadata: { ...ns.metadata }, spec: { ...spec(ns), finalizers }, status: { ...status(ns), conditions: deletionConditions(ns.metadata.deletionTimestamp ?? "") } };
    delete next.metadata.resourceVersion;
    cluster.store.update(NAMESPACES, next);
  }
}

/** Every namespace gets its "default" ServiceAccount, as the service-account controller does; deleted ones are emptied. */
export function reconcileNamespaces(cluster: Cluster): void {
  for (const ns of cluster.store.list(NAMESPACES)) {
    if (ns.metadata.deletionTimestamp) {
      terminate(cluster, ns);
      continue;
    }
    if (cluster.store.get(SERVICE_ACCOUNTS, ns.metadata.name, "default")) continue;
    cluster.store.create(SERVICE_ACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns.metadata.name } });
  }
}
