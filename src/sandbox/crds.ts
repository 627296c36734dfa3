import type { Cluster } from "./cluster.js";
import { fnv32a } from "./names.js";
import { RESOURCES, typeOf } from "./resources.js";
import type { KubeObject } from "./types.js";

/**
 * CustomResourceDefinitions for the custom resources the sandbox serves (Flux's Kustomizations and
 * GitRepositories), so `kubectl get crds` and clients that discover kinds through CRDs see them. They
 * describe what the sandbox really serves: one version, a status subresource, no structural schema
 * (unknown fields are preserved), and Flux's printer columns.
 */

const CONDITION = (field: string) => `.status.conditions[?(@.type=="Ready")].${field}`;

const PRINTER_COLUMNS: Record<string, { name: string; type: string; jsonPath: string }[]> = {
  Kustomization: [
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    { name: "Ready", type: "string", jsonPath: CONDITION("status") },
    { name: "Status", type: "string", jsonPath: CONDITION("message") },
  ],
  GitRepository: [
    { name: "URL", type: "string", jsonPath: ".spec.url" },
    { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    { name: "Ready", type: "string", jsonPath: CONDITION("status") },
    { name: "Status", type: "string", jsonPath: CONDITION("message") },
  ],
};

export const CUSTOM_GROUPS: ReadonlySet<string> = new Set(["kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io"]);

/** A stable uid for a definition, so repeated reads agree. */
function uidFor(name: string): string {
  const h = [fnv32a(name), fnv32a(`${name}/1`), fnv32a(`${name}/2`), fnv32a(`${name}/3`)].map((n) => n.toString(16).padStart(8, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function customResourceDefinitions(cluster: Cluster): KubeObject[] {
  // They were installed with Flux: the flux-system namespace's creation time is theirs.
  const fluxNamespace = cluster.store.get(typeOf("", "namespaces"), undefined, "flux-system");
  const created = fluxNamespace?.metadata.creationTimestamp ?? cluster.now().toISOString().replace(/\.\d+Z$/, "Z");
  return RESOURCES.filter((r) => CUSTOM_GROUPS.has(r.group)).map((r): KubeObject => {
    const name = `${r.resource}.${r.group}`;
    const names = { kind: r.kind, listKind: `${r.kind}List`, plural: r.resource, singular: r.singular, ...(r.shortNames.length ? { shortNames: r.shortNames } : {}) };
    const condition = (type: string, reason: string, message: string) => ({ type, status: "True", lastTransitionTime: created, reason, message });
    return {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name, uid: uidFor(name), resourceVersion: "1", generation: 1, creationTimestamp: created, labels: { "app.kubernetes.io/part-of": "flux" } },
      spec: {
        group: r.group,
        names,
        scope: r.namespaced ? "Namespaced" : "Cluster",
        versions: [
          {
            name: r.version,
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
            subresources: r.statusSubresource ? { status: {} } : {},
            additionalPrinterColumns: PRINTER_COLUMNS[r.kind] ?? [],
          },
        ],
        conversion: { strategy: "None" },
      },
      status: {
        acceptedNames: names,
        storedVersions: [r.version],
        conditions: [condition("NamesAccepted", "NoConflicts", "no conflicts found"), condition("Established", "InitialNamesAccepted", "the initial names have been accepted")],
      },
    };
  });
}
