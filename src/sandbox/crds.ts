import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Cluster } from "./cluster.js";
import { fnv32a } from "./names.js";
import { RESOURCES, typeOf } from "./resources.js";
import type { ResourceType } from "./resources.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/**
 * CustomResourceDefinitions for the custom resources the sandbox serves (Flux's Kustomizations,
 * HelmReleases and GitRepositories), so `kubectl get crds` and clients that discover kinds through CRDs
 * see them. Each version's schema, printer columns and subresources are Flux's own, read from the
 * upstream CRD manifests shipped unmodified in data/fluxcd/crds (Apache-2.0; their served versions in
 * data/fluxcd/crds.json); their schemas are also
 * published in /openapi/v2 and /openapi/v3 the way the API server builds them from a CRD, so
 * `kubectl explain kustomization.spec` prints Flux's field documentation. The names are the ones
 * discovery serves (without Flux's `all` category, so `kubectl get all` lists built-in kinds only).
 */

/** The served versions of the upstream CRDs in data/fluxcd/crds, extracted by data/fluxcd/build-crds.mjs. */
const CRD_VERSIONS = fileURLToPath(new URL("../../data/fluxcd/crds.json", import.meta.url));
const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

export const CUSTOM_GROUPS: ReadonlySet<string> = new Set(["kustomize.toolkit.fluxcd.io", "helm.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"]);

const customTypes = (): ResourceType[] => RESOURCES.filter((r) => CUSTOM_GROUPS.has(r.group));

let upstream: Map<string, Json> | undefined;

/** The served version's entry of each upstream CRD (`spec.versions[]`), by `<plural>.<group>`; read once. */
function upstreamVersions(): Map<string, Json> {
  if (upstream) return upstream;
  const versions = JSON.parse(readFileSync(CRD_VERSIONS, "utf8")) as Record<string, unknown>;
  const found = new Map<string, Json>();
  for (const r of customTypes()) {
    const served = versions[`${r.resource}.${r.group}`];
    if (!isRecord(served) || served["name"] !== r.version) throw new Error(`data/fluxcd/crds.json: ${r.resource}.${r.group} has no version ${r.version}`);
    found.set(`${r.resource}.${r.group}`, served);
  }
  upstream = found;
  return found;
}

/** The OpenAPI definition name the API server gives a CRD's kind: the group reversed, then version and kind. */
function definitionName(r: ResourceType): string {
  return `${r.group.split(".").reverse().join(".")}.${r.version}.${r.kind}`;
}

/**
 * The custom kinds' schemas as OpenAPI v2 definitions, as the API server publishes a CRD's structural
 * schema: metadata refers to ObjectMeta, and the kind is tagged with its group, version and kind.
 */
export function customResourceSchemas(): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const r of customTypes()) {
    const version = upstreamVersions().get(`${r.resource}.${r.group}`) ?? {};
    const schema = (isRecord(version["schema"]) && isRecord(version["schema"]["openAPIV3Schema"]) ? version["schema"]["openAPIV3Schema"] : {}) as Json;
    const properties = isRecord(schema["properties"]) ? schema["properties"] : {};
    out[definitionName(r)] = {
      ...schema,
      properties: { ...properties, metadata: { description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata", $ref: `#/definitions/${OBJECT_META}` } },
      "x-kubernetes-group-version-kind": [{ group: r.group, kind: r.kind, version: r.version }],
    };
  }
  return out;
}

/** A stable uid for a definition, so repeated reads agree. */
function uidFor(name: string): string {
  const h = [fnv32a(name), fnv32a(`${name}/1`), fnv32a(`${name}/2`), fnv32a(`${name}/3`)].map((n) => n.toString(16).padStart(8, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function customResourceDefinitions(cluster: Cluster): KubeObject[] {
  // They were installed with Flux: the flux-system namespace's creation time is theirs.
  const fluxNamespace = cluster.store.get(typeOf("", "namespaces"), undefined, "flux-system");
  const created = fluxNamespace?.metadata.creationTimestamp ?? cluster.now().toISOString().replace(/\.\d+Z$/, "Z");
  return customTypes().map((r): KubeObject => {
    const name = `${r.resource}.${r.group}`;
    const names = { kind: r.kind, listKind: `${r.kind}List`, plural: r.resource, singular: r.singular, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) };
    const condition = (type: string, reason: string, message: string) => ({ type, status: "True", lastTransitionTime: created, reason, message });
    return {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name, uid: uidFor(name), resourceVersion: "1", generation: 1, creationTimestamp: created, labels: { "app.kubernetes.io/part-of": "flux" } },
      spec: { group: r.group, names, scope: r.namespaced ? "Namespaced" : "Cluster", versions: [upstreamVersions().get(name) ?? {}], conversion: { strategy: "None" } },
      status: {
        acceptedNames: names,
        storedVersions: [r.version],
        conditions: [condition("NamesAccepted", "NoConflicts", "no conflicts found"), condition("Established", "InitialNamesAccepted", "the initial names have been accepted")],
      },
    };
  });
}

