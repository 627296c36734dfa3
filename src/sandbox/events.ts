import { rfc3339 } from "./age.js";
import type { NameGenerator } from "./names.js";
import { typeOf } from "./resources.js";
import type { Store } from "./store.js";
import { clone } from "./types.js";
import type { KubeObject } from "./types.js";

export interface EventSource {
  component: string;
  host?: string;
}

export interface EventInput {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  source: EventSource;
  fieldPath?: string;
  /** Times the event happened before the sandbox looked (a kubelet backing off for a while); default 1. */
  count?: number;
  firstTimestamp?: Date;
}

const EVENTS = typeOf("", "events");

/**
 * Records core/v1 Events the way client-go's recorder does: one object per (object, reason, message,
 * source), with count and lastTimestamp bumped on repeats.
 */
export class EventRecorder {
  /** Dedupe key to event name, so a repeat is found without scanning every event. */
  private readonly index = new Map<string, { namespace: string; name: string }>();

  constructor(
    private readonly store: Store,
    private readonly names: NameGenerator,
  ) {}

  record(involved: KubeObject, input: EventInput): void {
    const namespace = involved.metadata.namespace ?? "default";
    const now = this.store.now();
    const key = JSON.stringify([involved.metadata.uid, input.type, input.reason, input.message, input.source.component, input.source.host, input.fieldPath]);
    const known = this.index.get(key);
    const found = known ? this.store.get(EVENTS, known.namespace, known.name) : undefined;
    const existing = found ? clone(found) : undefined;
    if (existing) {
      existing["count"] = (typeof existing["count"] === "number" ? existing["count"] : 1) + (input.count ?? 1);
      existing["lastTimestamp"] = rfc3339(now);
      this.store.update(EVENTS, existing);
      return;
    }
    const first = input.firstTimestamp ?? now;
    const name = `${involved.metadata.name}.${this.names.hex()}`;
    this.index.set(key, { namespace, name });
    this.store.create(EVENTS, {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace, creationTimestamp: rfc3339(first) },
      involvedObject: {
        kind: involved.kind,
        namespace: involved.metadata.namespace,
        name: involved.metadata.name,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
        ...(input.fieldPath ? { fieldPath: input.fieldPath } : {}),
      },
      reason: input.reason,
      message: input.message,
      source: input.source,
      firstTimestamp: rfc3339(first),
      lastTimestamp: rfc3339(now),
      count: input.count ?? 1,
      type: input.type,
      eventTime: null,
      reportingComponent: input.source.component,
      reportingInstance: input.source.host ?? "",
    });
  }
}
