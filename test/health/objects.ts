/** Builders for the Kubernetes objects the health analyzers read, shaped like `kubectl get -o json` items. */
export interface ContainerSpec {
  name: string;
  image?: string;
  ready?: boolean;
  restarts?: number;
  waiting?: { reason: string; message?: string };
  running?: boolean;
  last?: { reason: string; exitCode: number };
  memoryLimit?: string;
}

export function pod(namespace: string, name: string, opts: { phase?: string; owner?: { kind: string; name: string }; containers?: ContainerSpec[]; conditions?: object[]; created?: string; reason?: string; message?: string } = {}): object {
  const containers = opts.containers ?? [{ name: "app", ready: true, running: true }];
  return {
    kind: "Pod",
    metadata: { name, namespace, ...(opts.created ? { creationTimestamp: opts.created } : {}), ...(opts.owner ? { ownerReferences: [{ apiVersion: "apps/v1", ...opts.owner, controller: true, uid: "u" }] } : {}) },
    spec: { nodeName: "worker-1", containers: containers.map((c) => ({ name: c.name, image: c.image ?? "img:1", ...(c.memoryLimit ? { resources: { limits: { memory: c.memoryLimit } } } : {}) })) },
    status: {
      phase: opts.phase ?? "Running",
      ...(opts.reason ? { reason: opts.reason } : {}),
      ...(opts.message ? { message: opts.message } : {}),
      conditions: opts.conditions ?? [{ type: "Ready", status: containers.every((c) => c.ready) ? "True" : "False" }],
      containerStatuses: containers.map((c) => ({
        name: c.name,
        image: c.image ?? "img:1",
        ready: c.ready ?? false,
        restartCount: c.restarts ?? 0,
        state: c.waiting ? { waiting: c.waiting } : c.running ? { running: { startedAt: "2026-01-01T00:00:00Z" } } : {},
        lastState: c.last ? { terminated: c.last } : {},
      })),
    },
  };
}

export function deployment(namespace: string, name: string, o: { replicas?: number; updated?: number; available?: number; progressing?: object; revision?: number; matchLabels?: Record<string, string> }): object {
  return {
    kind: "Deployment",
    metadata: { name, namespace, annotations: { "deployment.kubernetes.io/revision": String(o.revision ?? 1) } },
    spec: { replicas: o.replicas ?? 1, selector: { matchLabels: o.matchLabels ?? { app: name } } },
    status: { replicas: o.replicas ?? 1, updatedReplicas: o.updated ?? o.replicas ?? 1, availableReplicas: o.available ?? o.replicas ?? 1, conditions: o.progressing ? [o.progressing] : [] },
  };
}

export const node = (name: string, o: { conditions?: object[]; unschedulable?: boolean } = {}): object => ({
  kind: "Node",
  metadata: { name },
  spec: o.unschedulable ? { unschedulable: true } : {},
  status: { conditions: o.conditions ?? [{ type: "Ready", status: "True" }] },
});

export const warningEvent = (kind: string, namespace: string, name: string, reason: string, message: string, count = 1): object => ({
  kind: "Event",
  metadata: { namespace },
  type: "Warning",
  reason,
  message,
  count,
  lastTimestamp: "2026-01-01T00:00:00Z",
  involvedObject: { kind, namespace, name },
});

export const list = (items: readonly object[]): string => JSON.stringify({ apiVersion: "v1", kind: "List", items });
