import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { storageKey } from "./resources.js";
import type { ResourceType } from "./resources.js";
import { alreadyExists, conflict, notFound } from "./status.js";
import { clone, deepFreeze } from "./types.js";
import type { KubeObject } from "./types.js";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  rv: number;
  type: WatchEventType;
  key: string;
  object: KubeObject;
  /** The object before a MODIFIED or DELETED change, for selector transitions in watches. */
  previous?: KubeObject;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** For creates: a uid chosen by the caller (defaulting that embeds it), else a fresh one. */
  uid?: string;
}

const HISTORY_LIMIT = 50_000;

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/**
 * The in-memory etcd: objects per resource, one global resourceVersion counter, and a bounded change
 * history so watches can resume from a resourceVersion. Stored objects are deeply frozen and handed
 * out as they are (reads are the hot path of every controller pass); writers clone before changing.
 */
export class Store {
  private readonly data = new Map<string, Map<string, KubeObject>>();
  /** Per-bucket objects in key order, rebuilt after a write to the bucket. */
  private readonly sorted = new Map<string, KubeObject[]>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private rv = 1;
  /** Overridable so seeding can date objects in the past. */
  now: () => Date = () => new Date();

  get resourceVersion(): number {
    return this.rv;
  }

  /** The bucket of a resource; asking for it to write drops its sorted view. */
  private bucket(type: ResourceType, write = true): Map<string, KubeObject> {
    const key = storageKey(type);
    if (write) this.sorted.delete(key);
    let bucket = this.data.get(key);
    if (!bucket) {
      bucket = new Map();
      this.data.set(key, bucket);
    }
    return bucket;
  }

  private emit(type: WatchEventType, resource: ResourceType, object: KubeObject, previous?: KubeObject): void {
    const event: StoreEvent = { rv: this.rv, type, key: storageKey(resource), object, ...(previous ? { previous } : {}) };
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) this.history.splice(0, this.history.length - HISTORY_LIMIT);
    for (const listener of this.listeners) listener(event);
  }

  /** The oldest resourceVersion a watch can resume from. */
  oldestResumable(): number {
    return this.history[0]?.rv ?? this.rv;
  }

  eventsSince(rv: number): StoreEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(type, false).get(objectKey(type.namespaced ? namespace : undefined, name));
  }

  mustGet(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.get(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  /** Objects of one resource, optionally in one namespace, sorted by namespace then name like etcd keys. */
  list(type: ResourceType, namespace?: string): KubeObject[] {
    const key = storageKey(type);
    let all = this.sorted.get(key);
    if (!all) {
      const bucket = this.data.get(key) ?? new Map<string, KubeObject>();
      all = [...bucket.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, obj]) => obj);
      this.sorted.set(key, all);
    }
    return namespace === undefined ? [...all] : all.filter((obj) => obj.metadata.namespace === namespace);
  }

  create(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const obj = clone(input);
    const key = objectKey(type.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    if (!type.namespaced) delete obj.metadata.namespace;
    const bucket = this.bucket(type);
    if (bucket.has(key)) throw alreadyExists(type, obj.metadata.name);
    obj.metadata.uid = options.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= this.now().toISOString().replace(/\.\d+Z$/, "Z");
    if (type.statusSubresource) obj.metadata.generation = 1;
    delete obj.metadata.resourceVersion;
    if (options.dryRun) return deepFreeze(obj);
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    bucket.set(key, deepFreeze(obj));
    this.emit("ADDED", type, obj);
    return obj;
  }

  /**
   * Replaces an object. A stale `metadata.resourceVersion` is a 409 Conflict; an empty one means
   * "unconditional". Generation follows spec changes for resources with a status subresource.
   */
  update(type: ResourceType, input: KubeObject, options: WriteOptions = {}): KubeObject {
    const obj = clone(input);
    const key = objectKey(type.namespaced ? obj.metadata.namespace : undefined, obj.metadata.name);
    const bucket = this.bucket(type);
    const current = bucket.get(key);
    if (!current) throw notFound(type, obj.metadata.name);
    if (obj.metadata.resourceVersion && obj.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(type, obj.metadata.name);
    }
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (current.metadata.generation !== undefined) {
      obj.metadata.generation = isDeepStrictEqual(obj["spec"], current["spec"]) ? current.metadata.generation : current.metadata.generation + 1;
    }
    obj.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDeepStrictEqual(obj, current)) return current;
    if (options.dryRun) return deepFreeze(obj);
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    bucket.set(key, deepFreeze(obj));
    this.emit("MODIFIED", type, obj, current);
    return obj;
  }

  delete(type: ResourceType, namespace: string | undefined, name: string, options: WriteOptions = {}): KubeObject {
    const bucket = this.bucket(type);
    const key = objectKey(type.namespaced ? namespace : undefined, name);
    const current = bucket.get(key);
    if (!current) throw notFound(type, name);
    if (options.dryRun) return current;
    bucket.delete(key);
    this.rv++;
    const gone = clone(current);
    gone.metadata.resourceVersion = String(this.rv);
    deepFreeze(gone);
    this.emit("DELETED", type, gone, current);
    return gone;
  }

  /** Every stored object with its type key, for owner lookups across resources. */
  *all(): Generator<[string, KubeObject]> {
    for (const [key, bucket] of this.data) for (const obj of bucket.values()) yield [key, obj];
  }
}
