import { admitPriorityClass } from "./priorityclasses.js";
import type { ResourceType } from "./resources.js";
import { allocateServiceAddresses } from "./serviceips.js";
import type { Store } from "./store.js";
import type { KubeObject } from "./types.js";

/**
 * What the API server does to an object between defaulting and storage that needs the cluster's state
 * or the object's previous version: Service address allocation and PriorityClass validation. Every
 * write path (create, update, patch, apply, fixture load) calls it; a violation is a 422 Status.
 */
export function admit(store: Store, type: ResourceType, obj: KubeObject, current?: KubeObject): void {
  allocateServiceAddresses(store, type, obj, current);
  admitPriorityClass(type, obj, current);
}
