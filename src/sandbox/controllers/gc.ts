import type { Cluster } from "../cluster.js";
import { RESOURCES, storageKey } from "../resources.js";
import type { StoreEvent } from "../store.js";
import type { KubeObject } from "../types.js";

interface Dependent {
  readonly key: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

const refOf = (key: string, obj: KubeObject): Dependent => ({ key, namespace: obj.metadata.namespace, name: obj.metadata.name });
const idOf = (d: Dependent): string => `${d.key}|${d.namespace ?? ""}|${d.name}`;
const ownersOf = (obj: KubeObject): string[] => (obj.metadata.ownerReferences ?? []).map((r) => r.uid);

/**
 * Background cascading deletion: deletes objects whose every owner is gone. It follows the store's changes
 * instead of walking every object on each controller pass (events alone grow into the thousands during a
 * session): a deletion makes the dead object's dependents suspects, and so does a write that gives an object
 * owners; only suspects are checked.
 */
export class GarbageCollector {
  private readonly live = new Set<string>();
  /** Owner uid → the objects naming it as an owner. */
  private readonly dependents = new Map<string, Map<string, Dependent>>();
  private readonly suspects = new Map<string, Dependent>();
  private readonly unsubscribe: () => void;

  constructor(private readonly cluster: Cluster) {
    for (const [key, obj] of cluster.store.all()) this.follow({ rv: 0, type: "ADDED", key, object: obj });
    this.unsubscribe = cluster.store.subscribe((event) => this.follow(event));
  }

  private follow({ type, key, object, previous }: StoreEvent): void {
    const ref = refOf(key, object);
    const id = idOf(ref);
    for (const uid of previous ? ownersOf(previous) : []) this.dependents.get(uid)?.delete(id);
    if (type === "DELETED") {
      if (object.metadata.uid) {
        this.live.delete(object.metadata.uid);
        for (const [dependentId, dependent] of this.dependents.get(object.metadata.uid) ?? []) this.suspects.set(dependentId, dependent);
        this.dependents.delete(object.metadata.uid);
      }
      this.suspects.delete(id);
      return;
    }
    if (object.metadata.uid) this.live.add(object.metadata.uid);
    const owners = ownersOf(object);
    for (const uid of owners) {
      let named = this.dependents.get(uid);
      if (!named) this.dependents.set(uid, (named = new Map()));
      named.set(id, ref);
    }
    if (owners.length) this.suspects.set(id, ref);
  }

  /** Deletes the suspects whose owners are all gone (their deletion makes their own dependents suspects). */
  collect(): void {
    while (this.suspects.size > 0) {
      const [id, dependent] = this.suspects.entries().next().value as [string, Dependent];
      this.suspects.delete(id);
      const type = RESOURCES.find((r) => storageKey(r) === dependent.key && !r.storedAs && !r.virtual);
      const current = type ? this.cluster.store.get(type, dependent.namespace, dependent.name) : undefined;
      if (!type || !current) continue;
      const owners = ownersOf(current);
      if (owners.length > 0 && !owners.some((uid) => this.live.has(uid))) this.cluster.store.delete(type, dependent.namespace, dependent.name);
    }
  }

  stop(): void {
    this.unsubscribe();
  }
}
