import type { Cluster } from "../cluster.js";
import { RESOURCES, storageKey } from "../resources.js";

/** Deletes objects whose every owner is gone: background cascading deletion. */
export function collectGarbage(cluster: Cluster): void {
  const uids = new Set<string>();
  const dependents: [string, { namespace: string | undefined; name: string; owners: string[] }][] = [];
  for (const [key, obj] of cluster.store.all()) {
    if (obj.metadata.uid) uids.add(obj.metadata.uid);
    const owners = (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
    if (owners.length) dependents.push([key, { namespace: obj.metadata.namespace, name: obj.metadata.name, owners }]);
  }
  for (const [key, dep] of dependents) {
    if (dep.owners.some((uid) => uids.has(uid))) continue;
    const type = RESOURCES.find((r) => storageKey(r) === key && !r.storedAs && !r.virtual);
    if (type && cluster.store.get(type, dep.namespace, dep.name)) cluster.store.delete(type, dep.namespace, dep.name);
  }
}
