import { z } from "zod";
import type { DiscoveryStore } from "./discovery-store.js";
import type { Target } from "./target.js";

/** One API resource as discovery describes it. */
export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower case: "deployments". */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  subresources: readonly string[];
}

const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

const ResourceSchema = z.object({
  resource: z.string(),
  responseKind: z.object({ kind: z.string() }).partial().optional(),
  scope: z.string(),
  singularResource: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  subresources: z.array(z.object({ subresource: z.string() })).optional(),
});
const AggregatedSchema = z.object({
  kind: z.literal("APIGroupDiscoveryList"),
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string().optional() }).optional(),
      versions: z.array(z.object({ version: z.string(), resources: z.array(ResourceSchema).optional() })),
    }),
  ),
});

/** Discovery could not be read, or did not name the resource the command asks for. */
export class DiscoveryError extends Error {
  override name = "DiscoveryError";
}

export interface Discovery {
  /** Resolves what a user types ("deploy", "deployment.apps", "kustomizations.kustomize.toolkit.fluxcd.io"). */
  resolve(typed: string, signal: AbortSignal): Promise<ResourceInfo | undefined>;
}

/**
 * Aggregated discovery (`/api` + `/apis`, two requests), read once per target and kept: the set of kinds a
 * cluster serves changes rarely. With a store, what a previous process read is used while it is fresh, and a name
 * it does not know makes discovery read the server again before answering (as kubectl's disk cache does); a name
 * the server does not know either is answered by kubectl through the fallback, which has its own cache.
 * Servers without aggregated discovery make `resolve` throw, and the command goes to kubectl.
 */
export function createDiscovery(target: Target, store?: DiscoveryStore): Discovery {
  let loaded: Promise<{ all: readonly ResourceInfo[]; fresh: boolean }> | undefined;
  const readGroups = async (path: string, signal: AbortSignal): Promise<ResourceInfo[]> => {
    const res = await target.request({ method: "GET", path, accept: AGGREGATED, signal });
    const parsed = res.status === 200 ? AggregatedSchema.safeParse(JSON.parse(res.body)) : undefined;
    if (!parsed?.success) throw new DiscoveryError(`${path} did not answer with aggregated discovery (HTTP ${res.status})`);
    const out: ResourceInfo[] = [];
    for (const group of parsed.data.items) {
      // The first version listed is the group's preferred one, which is what kubectl uses.
      const version = group.versions[0];
      if (!version) continue;
      for (const r of version.resources ?? []) {
        out.push({
          group: group.metadata?.name ?? "",
          version: version.version,
          resource: r.resource,
          singular: r.singularResource ?? "",
          kind: r.responseKind?.kind ?? "",
          namespaced: r.scope === "Namespaced",
          shortNames: r.shortNames ?? [],
          subresources: (r.subresources ?? []).map((s) => s.subresource),
        });
      }
    }
    return out;
  };
  // Both at once: a one-shot command waits one round trip, not two. Core (/api) stays first, as kubectl prefers it.
  const fromServer = async (signal: AbortSignal) => {
    const all = (await Promise.all([readGroups("/api", signal), readGroups("/apis", signal)])).flat();
    store?.write(all);
    return { all, fresh: true };
  };
  const settle = async (attempt: NonNullable<typeof loaded>) => {
    try {
      return await attempt;
    } catch (error) {
      if (loaded === attempt) loaded = undefined;
      throw error;
    }
  };
  return {
    async resolve(typed, signal) {
      if (loaded === undefined) {
        const saved = store?.read();
        loaded = saved ? Promise.resolve({ all: saved, fresh: false }) : fromServer(signal);
      }
      const { all, fresh } = await settle(loaded);
      const found = match(all, typed.toLowerCase());
      if (found || fresh) return found;
      loaded = fromServer(signal);
      return match((await settle(loaded)).all, typed.toLowerCase());
    },
  };
}

/** kubectl's matching: resource, singular, short name or kind, optionally qualified by `.group` or `.version.group`. */
function match(all: readonly ResourceInfo[], typed: string): ResourceInfo | undefined {
  const names = (r: ResourceInfo): string[] => [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
  // Unqualified names first: core ("") resources come first in discovery, as kubectl prefers them ("events").
  const plain = all.find((r) => names(r).includes(typed));
  if (plain) return plain;
  return all.find((r) => {
    if (r.group === "") return false;
    return names(r).some((n) => typed === `${n}.${r.group}` || typed === `${n}.${r.version}.${r.group}`);
  });
}

/** The collection path of a resource: `/apis/apps/v1/namespaces/shop/deployments`. */
export function collectionPath(r: ResourceInfo, namespace: string | undefined): string {
  const root = r.group === "" ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  return r.namespaced && namespace !== undefined ? `${root}/namespaces/${encodeURIComponent(namespace)}/${r.resource}` : `${root}/${r.resource}`;
}

export function objectPath(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return `${collectionPath(r, namespace)}/${encodeURIComponent(name)}`;
}

/** "deployments.apps" / "pods": how kubectl names a resource in messages. */
export function qualifiedResource(r: ResourceInfo): string {
  return r.group === "" ? r.resource : `${r.resource}.${r.group}`;
}

/** "deployment.apps" / "pod": the prefix of `-o name` and of write confirmations. */
export function kindPrefix(r: ResourceInfo): string {
  const kind = r.kind.toLowerCase();
  return r.group === "" ? kind : `${kind}.${r.group}`;
}
