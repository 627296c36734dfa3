import type { Cluster } from "../cluster.js";
import { typeOf } from "../resources.js";

const NAMESPACES = typeOf("", "namespaces");
const SERVICE_ACCOUNTS = typeOf("", "serviceaccounts");

/** Every namespace gets its "default" ServiceAccount, as the service-account controller does. */
export function reconcileNamespaces(cluster: Cluster): void {
  for (const ns of cluster.store.list(NAMESPACES)) {
    if (cluster.store.get(SERVICE_ACCOUNTS, ns.metadata.name, "default")) continue;
    cluster.store.create(SERVICE_ACCOUNTS, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: ns.metadata.name } });
  }
}
