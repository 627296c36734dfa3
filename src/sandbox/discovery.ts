import { GROUP_ORDER, RESOURCES, apiVersionOf } from "./resources.js";
import type { ResourceType } from "./resources.js";
import { v3Schemas } from "./schemas.js";
import type { Json } from "./types.js";

export const AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
export const AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

export function versionInfo(minor: number): Json {
  return {
    major: "1",
    minor: String(minor),
    gitVersion: `v1.${minor}.0`,
    gitCommit: "0000000000000000000000000000000000000000",
    gitTreeState: "clean",
    buildDate: "2024-08-13T00:00:00Z",
    goVersion: "go1.22.5",
    compiler: "gc",
    platform: "linux/amd64",
  };
}

/** Which aggregated discovery version the Accept header asks for first, if any. */
export function aggregatedVersion(accept: string | undefined): "v2" | "v2beta1" | undefined {
  for (const part of (accept ?? "").split(",")) {
    const params = part.split(";").map((p) => p.trim());
    if (!params.includes("g=apidiscovery.k8s.io") || !params.includes("as=APIGroupDiscoveryList")) continue;
    if (params.includes("v=v2")) return "v2";
    if (params.includes("v=v2beta1")) return "v2beta1";
  }
  return undefined;
}

function versionsOf(group: string): string[] {
  return [...new Set(RESOURCES.filter((r) => r.group === group).map((r) => r.version))];
}

function discoveryResource(r: ResourceType): Json {
  return {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? "Namespaced" : "Cluster",
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
            verbs: s.verbs,
          })),
        }
      : {}),
  };
}

/** APIGroupDiscoveryList for /api (core) or /apis (every named group). */
export function aggregatedDiscovery(core: boolean, version: "v2" | "v2beta1"): Json {
  const groups = GROUP_ORDER.filter((g) => (core ? g === "" : g !== ""));
  return {
    kind: "APIGroupDiscoveryList",
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((group) => ({
      metadata: group === "" ? { creationTimestamp: null } : { name: group, creationTimestamp: null },
      versions: versionsOf(group).map((v) => ({
        version: v,
        resources: RESOURCES.filter((r) => r.group === group && r.version === v).map(discoveryResource),
        freshness: "Current",
      })),
    })),
  };
}

export function apiVersions(serverAddress: string): Json {
  return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }] };
}

function apiGroup(group: string): Json {
  const versions = versionsOf(group).map((v) => ({ groupVersion: `${group}/${v}`, version: v }));
  return { name: group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(): Json {
  return { kind: "APIGroupList", apiVersion: "v1", groups: GROUP_ORDER.filter((g) => g !== "").map(apiGroup) };
}

export function apiGroupDoc(group: string): Json | undefined {
  if (!GROUP_ORDER.includes(group) || group === "") return undefined;
  return { kind: "APIGroup", apiVersion: "v1", ...apiGroup(group) };
}

/** APIResourceList for one group version, or undefined when it is not served. */
export function apiResourceList(group: string, version: string): Json | undefined {
  const types = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!types.length) return undefined;
  const resources: Json[] = [];
  for (const r of types) {
    resources.push({
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources) {
      resources.push({
        name: `${r.resource}/${s.name}`,
        singularName: "",
        namespaced: r.namespaced,
        ...(s.group !== undefined ? { group: s.group, version: s.version } : {}),
        kind: s.kind,
        verbs: s.verbs,
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: apiVersionOf({ group, version }), resources };
}

const OPENAPI_HASH = "0000000000000000";

/** The /openapi/v3 index: one document per group version. */
export function openApiIndex(): Json {
  const paths: Json = {};
  for (const group of GROUP_ORDER) {
    for (const v of versionsOf(group)) {
      const p = group === "" ? `api/${v}` : `apis/${group}/${v}`;
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${OPENAPI_HASH}` };
    }
  }
  return { paths };
}

const QUERY_PARAMS = ["dryRun", "fieldManager", "fieldValidation", "force"];

/**
 * One group version's OpenAPI document: the upstream schemas of its kinds (`kubectl explain`), and a
 * PATCH operation per resource tagged with its kind and query parameters, which is how kubectl learns
 * that the server validates fields and accepts dry runs (without it kubectl falls back to downloading
 * /openapi/v2 for client-side validation). Paths list only PATCH: nothing reads the others.
 */
export function openApiDocument(path: string, minor: number): Json | undefined {
  const known = Object.keys(openApiIndex()["paths"] as Json);
  if (!known.includes(path)) return undefined;
  const paths: Json = {};
  for (const r of RESOURCES) {
    const prefix = r.group === "" ? `api/${r.version}` : `apis/${r.group}/${r.version}`;
    if (prefix !== path || !r.verbs.includes("patch")) continue;
    const item = `/${prefix}${r.namespaced ? "/namespaces/{namespace}" : ""}/${r.resource}/{name}`;
    paths[item] = {
      patch: {
        operationId: `patch${r.kind}`,
        parameters: QUERY_PARAMS.map((name) => ({ name, in: "query", schema: { type: name === "force" ? "boolean" : "string", uniqueItems: true } })),
        responses: { "200": { description: "OK" } },
        "x-kubernetes-action": "patch",
        "x-kubernetes-group-version-kind": { group: r.group, version: r.version, kind: r.kind },
      },
    };
  }
  const [group, version] = path.startsWith("api/") ? ["", path.slice(4)] : (path.slice(5).split("/") as [string, string]);
  const kinds = RESOURCES.filter((r) => r.group === group && r.version === version).map((r) => r.kind);
  return { openapi: "3.0.0", info: { title: "Kubernetes", version: `v1.${minor}.0` }, paths, components: { schemas: v3Schemas(group, version, kinds) } };
}
