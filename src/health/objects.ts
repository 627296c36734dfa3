import { z } from "zod";

/** The fields the analyzers read. Everything from the cluster is untrusted, so each object is parsed on its own. */
const str = z.string().max(4096);
const Meta = z.object({
  name: str,
  namespace: str.optional(),
  creationTimestamp: str.optional(),
  annotations: z.record(str, str).optional(),
  ownerReferences: z.array(z.object({ kind: str, name: str, controller: z.boolean().optional() })).max(50).optional(),
});
const Condition = z.object({ type: str, status: str, reason: str.optional(), message: str.optional() });
const Conditions = z.array(Condition).max(50).optional();
const Terminated = z.object({ reason: str.optional(), exitCode: z.number().int().optional(), message: str.optional() });
const State = z.object({ waiting: z.object({ reason: str.optional(), message: str.optional() }).optional(), running: z.object({}).optional(), terminated: Terminated.optional() });
const ContainerStatus = z.object({
  name: str,
  image: str.optional(),
  ready: z.boolean().optional(),
  restartCount: z.number().int().min(0).default(0),
  state: State.optional(),
  lastState: State.optional(),
});
const count = z.number().int().min(0).optional();

export const PodSchema = z.object({
  kind: z.literal("Pod"),
  metadata: Meta,
  spec: z.object({
    nodeName: str.optional(),
    containers: z.array(z.object({ name: str, resources: z.object({ limits: z.record(str, z.unknown()).optional() }).optional() })).max(100).default([]),
  }),
  status: z.object({
    phase: str.optional(),
    reason: str.optional(),
    message: str.optional(),
    conditions: Conditions,
    containerStatuses: z.array(ContainerStatus).max(100).optional(),
    initContainerStatuses: z.array(ContainerStatus).max(100).optional(),
  }).default({}),
});
export type Pod = z.infer<typeof PodSchema>;

const Selector = z.object({ matchLabels: z.record(str, z.unknown()).optional() }).optional();

export const DeploymentSchema = z.object({
  kind: z.literal("Deployment"),
  metadata: Meta,
  spec: z.object({ replicas: count, selector: Selector, paused: z.boolean().optional() }).default({}),
  status: z.object({ replicas: count, updatedReplicas: count, readyReplicas: count, availableReplicas: count, unavailableReplicas: count, conditions: Conditions }).default({}),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

export const StatefulSetSchema = z.object({
  kind: z.literal("StatefulSet"),
  metadata: Meta,
  spec: z.object({ replicas: count, selector: Selector }).default({}),
  status: z.object({ replicas: count, readyReplicas: count, updatedReplicas: count, currentRevision: str.optional(), updateRevision: str.optional() }).default({}),
});
export type StatefulSet = z.infer<typeof StatefulSetSchema>;

export const DaemonSetSchema = z.object({
  kind: z.literal("DaemonSet"),
  metadata: Meta,
  status: z.object({ desiredNumberScheduled: count, currentNumberScheduled: count, numberReady: count, numberAvailable: count, numberMisscheduled: count, updatedNumberScheduled: count }).default({}),
});
export type DaemonSet = z.infer<typeof DaemonSetSchema>;

export const JobSchema = z.object({
  kind: z.literal("Job"),
  metadata: Meta,
  spec: z.object({ suspend: z.boolean().optional(), backoffLimit: count }).default({}),
  status: z.object({ failed: count, succeeded: count, active: count, conditions: Conditions }).default({}),
});
export type Job = z.infer<typeof JobSchema>;

export const NodeSchema = z.object({
  kind: z.literal("Node"),
  metadata: Meta,
  spec: z.object({ unschedulable: z.boolean().optional() }).default({}),
  status: z.object({ conditions: Conditions }).default({}),
});
export type Node = z.infer<typeof NodeSchema>;

export const PvcSchema = z.object({
  kind: z.literal("PersistentVolumeClaim"),
  metadata: Meta,
  spec: z.object({ storageClassName: str.nullable().optional() }).default({}),
  status: z.object({ phase: str.optional() }).default({}),
});
export type Pvc = z.infer<typeof PvcSchema>;

export const FluxSchema = z.object({
  kind: z.enum(["Kustomization", "HelmRelease"]),
  metadata: Meta,
  spec: z.object({ suspend: z.boolean().optional() }).default({}),
  status: z.object({ conditions: Conditions, lastAppliedRevision: str.optional() }).default({}),
});
export type FluxObject = z.infer<typeof FluxSchema>;

export const EventSchema = z.object({
  kind: z.literal("Event").optional(),
  metadata: z.object({ namespace: str.optional() }).optional(),
  type: str.optional(),
  reason: str.optional(),
  message: str.optional(),
  count: z.number().int().min(0).optional(),
  lastTimestamp: str.nullable().optional(),
  eventTime: str.nullable().optional(),
  involvedObject: z.object({ kind: str.optional(), namespace: str.optional(), name: str.optional() }),
});
export type Event = z.infer<typeof EventSchema>;

const SCHEMAS = {
  Pod: PodSchema,
  Deployment: DeploymentSchema,
  StatefulSet: StatefulSetSchema,
  DaemonSet: DaemonSetSchema,
  Job: JobSchema,
  Node: NodeSchema,
  PersistentVolumeClaim: PvcSchema,
  Kustomization: FluxSchema,
  HelmRelease: FluxSchema,
  Event: EventSchema,
} as const;
type Kind = keyof typeof SCHEMAS;

export interface Inventory {
  pods: Pod[];
  deployments: Deployment[];
  statefulsets: StatefulSet[];
  daemonsets: DaemonSet[];
  jobs: Job[];
  nodes: Node[];
  pvcs: Pvc[];
  flux: FluxObject[];
  events: Event[];
  /** Items that did not parse as the kind they claimed (counted, never guessed at). */
  unreadable: number;
}

export function emptyInventory(): Inventory {
  return { pods: [], deployments: [], statefulsets: [], daemonsets: [], jobs: [], nodes: [], pvcs: [], flux: [], events: [], unreadable: 0 };
}

const ListSchema = z.object({ items: z.array(z.unknown()) });

/** Adds the items of one `kubectl get … -o json` answer; false when the text is not a list. */
export function addList(inventory: Inventory, json: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return false;
  }
  const list = ListSchema.safeParse(parsed);
  if (!list.success) return false;
  for (const item of list.data.items) {
    const claimed = item && typeof item === "object" && "kind" in item ? String((item as { kind: unknown }).kind) : "";
    if (Object.hasOwn(SCHEMAS, claimed)) add(inventory, claimed as Kind, item);
    else inventory.unreadable++;
  }
  return true;
}

function add(inventory: Inventory, kind: Kind, item: unknown): void {
  const ok = <T>(result: { success: true; data: T } | { success: false }, into: T[]): void => {
    if (result.success) into.push(result.data);
    else inventory.unreadable++;
  };
  switch (kind) {
    case "Pod": return ok(PodSchema.safeParse(item), inventory.pods);
    case "Deployment": return ok(DeploymentSchema.safeParse(item), inventory.deployments);
    case "StatefulSet": return ok(StatefulSetSchema.safeParse(item), inventory.statefulsets);
    case "DaemonSet": return ok(DaemonSetSchema.safeParse(item), inventory.daemonsets);
    case "Job": return ok(JobSchema.safeParse(item), inventory.jobs);
    case "Node": return ok(NodeSchema.safeParse(item), inventory.nodes);
    case "PersistentVolumeClaim": return ok(PvcSchema.safeParse(item), inventory.pvcs);
    case "Kustomization":
    case "HelmRelease": return ok(FluxSchema.safeParse(item), inventory.flux);
    case "Event": return ok(EventSchema.safeParse(item), inventory.events);
  }
}

export function condition(conditions: readonly z.infer<typeof Condition>[] | undefined, type: string): z.infer<typeof Condition> | undefined {
  return conditions?.find((c) => c.type === type);
}
