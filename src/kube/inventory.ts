import { z } from "zod";
import { isDns1123Label, isDns1123Subdomain } from "./validators.js";

/**
 * A small read-only picture of a cluster for resolving what a goal names: namespaces, nodes, workloads with
 * their replica counts and selectors, services, pods by owner, Flux Kustomizations and HelmReleases. It is read per
 * target per TTL with one `kubectl get … -A -o json` call through a policy-checked read function the pipeline supplies,
 * and everything in it is validated: cluster data is no more trusted than a request.
 */

/** A read-only kubectl call; the pipeline adds the target (kubeconfig/context) and checks the argv with policy. */
export type KubectlRead = (argv: readonly string[]) => Promise<{ readonly code: number | null; readonly stdout: string }>;

export type InventoryKind = "deployment" | "statefulset" | "daemonset" | "cronjob" | "service" | "kustomization" | "helmrelease";

export interface InventoryObject {
  readonly kind: InventoryKind;
  readonly namespace: string;
  readonly name: string;
  /** spec.replicas of deployments and statefulsets. */
  readonly replicas?: number;
  /** spec.selector.matchLabels as a label selector ("app=web,tier=api"), when it has only matchLabels. */
  readonly selector?: string;
}

export interface InventorySnapshot {
  readonly ok: true;
  /** Milliseconds since the epoch when the cluster was read. */
  readonly fetchedAt: number;
  readonly namespaces: ReadonlySet<string>;
  readonly nodes: ReadonlySet<string>;
  readonly objects: readonly InventoryObject[];
  /** Every pod as "namespace/name". */
  readonly pods: ReadonlySet<string>;
  /** "namespace/kind/name" of a workload → its pods' names. */
  readonly podsByOwner: ReadonlyMap<string, readonly string[]>;
  /** Object names that were dropped because they are not valid Kubernetes names. */
  readonly rejected: number;
}

export type InventoryResult = InventorySnapshot | { readonly ok: false; readonly reason: string };

export interface Inventory {
  /** The cached snapshot, read again when older than the TTL; concurrent callers share one read. */
  snapshot(): Promise<InventoryResult>;
  /** Reads again (after a miss), unless the cached snapshot is younger than `minRefreshMs`. */
  refresh(): Promise<InventoryResult>;
}

export interface InventoryOptions {
  readonly ttlMs: number;
  /** A miss does not read again within this long of the last read (default 2 s). */
  readonly minRefreshMs?: number;
  /** A cluster that lacked the Flux types is asked for them again after this long (default 10 min). */
  readonly discoveryTtlMs?: number;
  readonly now?: () => number;
}

const FLUX_TYPES = ["kustomizations.kustomize.toolkit.fluxcd.io", "helmreleases.helm.toolkit.fluxcd.io"] as const;
const CORE_TYPES = ["namespaces", "nodes", "deployments", "statefulsets", "daemonsets", "replicasets", "pods", "cronjobs", "services"] as const;
/**
 * kubectl fails a whole `get` when one type is unknown to the server, so a cluster without Flux (or without its
 * Helm controller) rejects the full list; the lists are tried in order and the one that worked is remembered.
 */
const TYPE_LISTS: readonly (readonly string[])[] = [[...CORE_TYPES, ...FLUX_TYPES], [...CORE_TYPES, FLUX_TYPES[0]], [...CORE_TYPES]];
/** How long a narrower list that worked is trusted before the full one is tried again (Flux installed since). */
const DEFAULT_DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * The one read of an inventory: every kind in a single `kubectl get … -A -o json` (cluster-scoped kinds ignore -A;
 * policy allows such a mixed `get` only across all namespaces, and never with Secrets).
 */
export function inventoryArgv(types: readonly string[] = TYPE_LISTS[0] ?? CORE_TYPES): string[] {
  return ["get", types.join(","), "-A", "-o", "json"];
}

export function createInventory(read: KubectlRead, options: InventoryOptions): Inventory {
  const now = options.now ?? Date.now;
  const minRefreshMs = options.minRefreshMs ?? 2_000;
  const discoveryTtlMs = options.discoveryTtlMs ?? DEFAULT_DISCOVERY_TTL_MS;
  let cached: InventoryResult | undefined;
  let cachedAt = -Infinity;
  let inFlight: Promise<InventoryResult> | undefined;
  // The list that worked for this target and since when; later reads start there, so a steady state is one call.
  let listIndex = 0;
  let listSince = -Infinity;

  const readAll = async (): Promise<string | undefined> => {
    if (listIndex > 0 && now() - listSince >= discoveryTtlMs) listIndex = 0;
    for (let i = listIndex; i < TYPE_LISTS.length; i++) {
      const result = await read(inventoryArgv(TYPE_LISTS[i]));
      if (result.code === 0) {
        if (i !== listIndex) listSince = now();
        listIndex = i;
        return result.stdout;
      }
    }
    return undefined;
  };

  const load = (): Promise<InventoryResult> => {
    inFlight ??= (async (): Promise<InventoryResult> => {
      try {
        const listing = await readAll();
        if (listing === undefined) return { ok: false, reason: "kubectl could not list the cluster's namespaces, nodes and workloads" };
        return parseInventory(listing, now());
      } catch (error) {
        return { ok: false, reason: `reading the cluster failed: ${(error as Error).message}` };
      }
    })().then((result) => {
      cached = result;
      cachedAt = now();
      inFlight = undefined;
      return result;
    });
    return inFlight;
  };

  return {
    snapshot: () => (cached !== undefined && now() - cachedAt < options.ttlMs ? Promise.resolve(cached) : load()),
    refresh: () => (cached !== undefined && now() - cachedAt < minRefreshMs ? Promise.resolve(cached) : load()),
  };
}

const ItemSchema = z.object({
  kind: z.string(),
  metadata: z.object({
    name: z.string(),
    namespace: z.string().optional(),
    ownerReferences: z.array(z.object({ kind: z.string(), name: z.string(), controller: z.boolean().optional() })).optional(),
  }),
  spec: z
    .object({
      replicas: z.number().int().min(0).max(100_000).optional(),
      selector: z.unknown().optional(),
    })
    .passthrough()
    .optional(),
});
const ListSchema = z.object({ items: z.array(z.unknown()) });

const WORKLOAD_KINDS: Readonly<Record<string, InventoryKind>> = {
  Deployment: "deployment",
  StatefulSet: "statefulset",
  DaemonSet: "daemonset",
  CronJob: "cronjob",
  Service: "service",
  Kustomization: "kustomization",
  HelmRelease: "helmrelease",
};
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** matchLabels as "k=v,k2=v2"; undefined for expression selectors or anything that is not a plain label. */
function selectorOf(selector: unknown): string | undefined {
  const parsed = z.object({ matchLabels: z.record(z.string(), z.string()), matchExpressions: z.array(z.unknown()).max(0).optional() }).safeParse(selector);
  if (!parsed.success) return undefined;
  const pairs = Object.entries(parsed.data.matchLabels);
  if (pairs.length === 0 || pairs.some(([k, v]) => k.length > 316 || v.length > 63 || !LABEL_KEY.test(k) || !LABEL_VALUE.test(v))) return undefined;
  return pairs.map(([k, v]) => `${k}=${v}`).join(",");
}

/** Parses the `kubectl get … -o json` listing; items with invalid names are dropped and counted. */
export function parseInventory(stdout: string, fetchedAt: number): InventoryResult {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    return { ok: false, reason: "the cluster listing is not JSON" };
  }
  const list = ListSchema.safeParse(json);
  if (!list.success) return { ok: false, reason: "the cluster listing is not a Kubernetes List" };
  const items = list.data.items;
  const namespaces = new Set<string>();
  const nodes = new Set<string>();
  const objects: InventoryObject[] = [];
  const replicaSetOwner = new Map<string, string>();
  const pods: { namespace: string; name: string; owner: { kind: string; name: string } | undefined }[] = [];
  let rejected = 0;
  for (const raw of items) {
    const item = ItemSchema.safeParse(raw);
    if (!item.success) {
      rejected++;
      continue;
    }
    const { kind, metadata, spec } = item.data;
    const namespace = metadata.namespace ?? "";
    const valid = isDns1123Subdomain(metadata.name) && (namespace === "" || isDns1123Label(namespace));
    if (!valid) {
      rejected++;
      continue;
    }
    const owner = metadata.ownerReferences?.find((ref) => ref.controller === true) ?? metadata.ownerReferences?.[0];
    if (kind === "Namespace") {
      if (isDns1123Label(metadata.name)) namespaces.add(metadata.name);
    } else if (kind === "Node") nodes.add(metadata.name);
    else if (kind === "ReplicaSet") {
      if (owner?.kind === "Deployment" && isDns1123Subdomain(owner.name)) replicaSetOwner.set(`${namespace}/${metadata.name}`, owner.name);
    } else if (kind === "Pod") pods.push({ namespace, name: metadata.name, owner: owner && isDns1123Subdomain(owner.name) ? owner : undefined });
    else {
      const inventoryKind = WORKLOAD_KINDS[kind];
      if (inventoryKind === undefined || namespace === "") continue;
      const selector = selectorOf(spec?.selector);
      objects.push({
        kind: inventoryKind,
        namespace,
        name: metadata.name,
        ...(spec?.replicas !== undefined && (inventoryKind === "deployment" || inventoryKind === "statefulset") ? { replicas: spec.replicas } : {}),
        ...(selector !== undefined ? { selector } : {}),
      });
    }
  }
  const podsByOwner = new Map<string, string[]>();
  const podNames = new Set<string>();
  for (const pod of pods) {
    podNames.add(`${pod.namespace}/${pod.name}`);
    if (!pod.owner) continue;
    const deployment = pod.owner.kind === "ReplicaSet" ? replicaSetOwner.get(`${pod.namespace}/${pod.owner.name}`) : undefined;
    const key =
      deployment !== undefined
        ? `${pod.namespace}/deployment/${deployment}`
        : `${pod.namespace}/${WORKLOAD_KINDS[pod.owner.kind] ?? pod.owner.kind.toLowerCase()}/${pod.owner.name}`;
    const list = podsByOwner.get(key);
    if (list) list.push(pod.name);
    else podsByOwner.set(key, [pod.name]);
  }
  return { ok: true, fetchedAt, namespaces, nodes, objects, pods: podNames, podsByOwner, rejected };
}
