import { fnv32a } from "./names.js";
import type { ResourceType } from "./resources.js";
import { invalid } from "./status.js";
import type { Store } from "./store.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/**
 * What the API server assigns a Service: a cluster IP from the service CIDR (kubeadm's default
 * 10.96.0.0/12) unless the Service is headless (`None`) or an ExternalName, node ports from
 * 30000-32767 for NodePort and LoadBalancer Services, and the single-stack IPv4 fields. An address
 * the client names must be in range and free; addresses never change once set, and an update that
 * leaves them out keeps them, as the API server's service storage does. Picks are deterministic
 * (a hash of the Service's name, then the next free one) so fixtures and tests read the same.
 */

export const SERVICE_CIDR = "10.96.0.0/12";
const BASE = (10 << 24) | (96 << 16);
const SIZE = 1 << 20;
/** 10.96.0.1 belongs to the `kubernetes` Service the API server creates for itself. */
const FIRST_USABLE = 2;
const NODE_PORTS = { min: 30000, max: 32767 };

const ipToInt = (ip: string): number | undefined => {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
};
const intToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");

function servicesOf(store: Store, type: ResourceType, except: KubeObject): KubeObject[] {
  return store.list(type).filter((s) => !(s.metadata.namespace === except.metadata.namespace && s.metadata.name === except.metadata.name));
}

function usedClusterIPs(others: KubeObject[]): Set<string> {
  return new Set(others.map((s) => (isRecord(s["spec"]) ? s["spec"]["clusterIP"] : undefined)).filter((ip): ip is string => typeof ip === "string"));
}

function usedNodePorts(others: KubeObject[]): Set<number> {
  const used = new Set<number>();
  for (const s of others) {
    const ports = isRecord(s["spec"]) && Array.isArray(s["spec"]["ports"]) ? s["spec"]["ports"] : [];
    for (const p of ports) if (isRecord(p) && typeof p["nodePort"] === "number") used.add(p["nodePort"]);
  }
  return used;
}

function pick<T>(seed: string, count: number, at: (offset: number) => T, taken: (value: T) => boolean): T | undefined {
  const start = fnv32a(seed) % count;
  for (let i = 0; i < count; i++) {
    const value = at((start + i) % count);
    if (!taken(value)) return value;
  }
  return undefined;
}

/** The service's addresses kept from `current` where the update leaves them out; changing them is a 422. */
function keepAllocated(type: ResourceType, service: KubeObject, spec: Json, current: KubeObject | undefined): void {
  const before = current && isRecord(current["spec"]) ? current["spec"] : undefined;
  if (!before || typeof before["clusterIP"] !== "string") return;
  if (spec["clusterIP"] === undefined || spec["clusterIP"] === "") {
    spec["clusterIP"] = before["clusterIP"];
    if (Array.isArray(before["clusterIPs"])) spec["clusterIPs"] = before["clusterIPs"];
  } else if (spec["clusterIP"] !== before["clusterIP"] && spec["type"] !== "ExternalName" && before["type"] !== "ExternalName") {
    throw invalid(type, service.metadata.name, [{ field: "spec.clusterIPs[0]", message: `Invalid value: ${JSON.stringify(spec["clusterIP"])}: may not change once set` }]);
  }
  const oldPorts = Array.isArray(before["ports"]) ? before["ports"].filter(isRecord) : [];
  for (const p of Array.isArray(spec["ports"]) ? spec["ports"].filter(isRecord) : []) {
    if (p["nodePort"] !== undefined) continue;
    const same = oldPorts.find((o) => o["port"] === p["port"] && (o["protocol"] ?? "TCP") === (p["protocol"] ?? "TCP"));
    if (same && typeof same["nodePort"] === "number") p["nodePort"] = same["nodePort"];
  }
}

/** Assigns (or validates) a Service's cluster IP and node ports before it is stored; other kinds pass through. */
export function allocateServiceAddresses(store: Store, type: ResourceType, service: KubeObject, current?: KubeObject): void {
  if (type.kind !== "Service" || type.group !== "") return;
  const spec = isRecord(service["spec"]) ? service["spec"] : {};
  service["spec"] = spec;
  keepAllocated(type, service, spec, current);
  const serviceType = typeof spec["type"] === "string" ? spec["type"] : "ClusterIP";
  if (serviceType === "ExternalName") return;
  const others = servicesOf(store, type, service);
  const key = `${service.metadata.namespace ?? ""}/${service.metadata.name}`;
  const requested = typeof spec["clusterIP"] === "string" && spec["clusterIP"] !== "" ? spec["clusterIP"] : undefined;
  if (requested === "None") {
    spec["clusterIPs"] = ["None"];
  } else if (requested !== undefined && requested !== (current && isRecord(current["spec"]) ? current["spec"]["clusterIP"] : undefined)) {
    const n = ipToInt(requested);
    const fail = (why: string) => invalid(type, service.metadata.name, [{ field: "spec.clusterIPs", message: `Invalid value: []string{${JSON.stringify(requested)}}: failed to allocate IP ${requested}: ${why}` }]);
    if (n === undefined || n <= BASE || n >= BASE + SIZE - 1) throw fail(`the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`);
    if (usedClusterIPs(others).has(requested)) throw fail("provided IP is already allocated");
    spec["clusterIPs"] = [requested];
  } else if (requested === undefined) {
    const used = usedClusterIPs(others);
    const ip = pick(key, SIZE - FIRST_USABLE - 1, (offset) => intToIp(BASE + FIRST_USABLE + offset), (candidate) => used.has(candidate));
    if (!ip) throw invalid(type, service.metadata.name, [{ field: "spec.clusterIPs", message: `Internal error: failed to allocate a serviceIP: range is full` }]);
    spec["clusterIP"] = ip;
    spec["clusterIPs"] = [ip];
  }
  spec["ipFamilies"] ??= ["IPv4"];
  spec["ipFamilyPolicy"] ??= "SingleStack";
  spec["internalTrafficPolicy"] ??= "Cluster";
  if (serviceType !== "NodePort" && serviceType !== "LoadBalancer") return;
  spec["externalTrafficPolicy"] ??= "Cluster";
  const taken = usedNodePorts(others);
  const ports = Array.isArray(spec["ports"]) ? spec["ports"] : [];
  for (const [i, p] of ports.entries()) {
    if (!isRecord(p)) continue;
    const field = `spec.ports[${i}].nodePort`;
    if (typeof p["nodePort"] === "number") {
      if (p["nodePort"] < NODE_PORTS.min || p["nodePort"] > NODE_PORTS.max) {
        throw invalid(type, service.metadata.name, [{ field, message: `Invalid value: ${p["nodePort"]}: provided port is not in the valid range. The range of valid ports is ${NODE_PORTS.min}-${NODE_PORTS.max}` }]);
      }
      if (taken.has(p["nodePort"])) throw invalid(type, service.metadata.name, [{ field, message: `Invalid value: ${p["nodePort"]}: provided port is already allocated` }]);
    } else {
      const port = pick(`${key}:${String(p["port"])}`, NODE_PORTS.max - NODE_PORTS.min + 1, (offset) => NODE_PORTS.min + offset, (candidate) => taken.has(candidate));
      if (port === undefined) throw invalid(type, service.metadata.name, [{ field, message: "Internal error: failed to allocate a nodePort: range is full" }]);
      p["nodePort"] = port;
    }
    taken.add(p["nodePort"] as number);
  }
}
