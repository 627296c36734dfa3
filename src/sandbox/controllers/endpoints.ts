import { isDeepStrictEqual } from "node:util";
import type { Cluster } from "../cluster.js";
import { fnv32a, safeEncode } from "../names.js";
import type { ResourceType } from "../resources.js";
import { labelsMatch } from "../selectors.js";
import type { Json, KubeObject } from "../types.js";
import { ENDPOINTS, ENDPOINTSLICES, PODS, SERVICES, A, J, controllerRef, podActive, podReady, spec, status } from "./util.js";

function upsert(cluster: Cluster, type: ResourceType, desired: KubeObject, fields: string[]): void {
  const existing = cluster.store.get(type, desired.metadata.namespace, desired.metadata.name);
  if (!existing) {
    cluster.store.create(type, desired);
    return;
  }
  if (fields.every((f) => isDeepStrictEqual(existing[f], desired[f]))) return;
  const next: KubeObject = { ...existing, metadata: { ...existing.metadata, resourceVersion: "" } };
  for (const f of fields) next[f] = desired[f];
  cluster.store.update(type, next);
}

/** Keeps an Endpoints object and an EndpointSlice per selector-based Service, listing its pods' addresses. */
export function reconcileEndpoints(cluster: Cluster): void {
  for (const svc of cluster.store.list(SERVICES)) {
    const selector = J(spec(svc)["selector"]) as Record<string, string>;
    if (!Object.keys(selector).length) continue;
    const namespace = svc.metadata.namespace as string;
    const reqs = Object.entries(selector).map(([key, value]) => ({ key, op: "=" as const, values: [value] }));
    const pods = cluster.store.list(PODS, namespace).filter((p) => podActive(p) && status(p)["podIP"] && labelsMatch(p.metadata.labels, reqs));
    const targetRef = (p: KubeObject): Json => ({ kind: "Pod", namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid });
    const address = (p: KubeObject): Json => ({ ip: status(p)["podIP"], nodeName: spec(p)["nodeName"], targetRef: targetRef(p) });
    const svcPorts = A(spec(svc)["ports"]).map(J);
    const ports = svcPorts.map((p) => ({ ...(p["name"] ? { name: p["name"] } : {}), port: typeof p["targetPort"] === "number" ? p["targetPort"] : p["port"], protocol: p["protocol"] ?? "TCP" }));
    const ready = pods.filter(podReady).map(address);
    const notReady = pods.filter((p) => !podReady(p)).map(address);
    const subsets = pods.length ? [{ ...(ready.length ? { addresses: ready } : {}), ...(notReady.length ? { notReadyAddresses: notReady } : {}), ports }] : [];
    upsert(cluster, ENDPOINTS, { apiVersion: "v1", kind: "Endpoints", metadata: { name: svc.metadata.name, namespace, labels: svc.metadata.labels ?? {} }, subsets }, ["subsets"]);
    upsert(
      cluster,
      ENDPOINTSLICES,
      {
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: {
          name: `${svc.metadata.name}-${safeEncode(fnv32a(`${namespace}/${svc.metadata.name}`), 5)}`,
          namespace,
          labels: { ...svc.metadata.labels, "kubernetes.io/service-name": svc.metadata.name, "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io" },
          ownerReferences: [controllerRef(svc)],
        },
        addressType: "IPv4",
        endpoints: pods.map((p) => ({ addresses: [status(p)["podIP"]], conditions: { ready: podReady(p), serving: podReady(p), terminating: false }, nodeName: spec(p)["nodeName"], targetRef: targetRef(p) })),
        ports,
      },
      ["endpoints", "ports"],
    );
  }
}
