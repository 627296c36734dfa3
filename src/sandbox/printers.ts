import { A, J, NAME, age, col, num, spec, status, str } from "./cells.js";
import type { Printer } from "./cells.js";
import { selectorToString } from "./selectors.js";
import type { LabelSelectorObject } from "./selectors.js";
import type { KubeObject } from "./types.js";

/**
 * Server-side table printers for networking, autoscaling, storage, quota, RBAC and CRD kinds and for
 * the scale subresource, with the columns and cell formats of the API server's printers
 * (pkg/printers/internalversion). Kinds without a printer there get the default "Name, Created At".
 */

const createdAt = (o: KubeObject): string => o.metadata.creationTimestamp ?? "";
const CREATED_AT = { ...col("Created At", "date"), description: "CreationTimestamp is a timestamp representing the server time when this object was created." };
const defaultTable: Printer = { columns: [NAME, CREATED_AT], cells: (o) => [createdAt(o)] };

const ACCESS_MODES: Record<string, string> = { ReadWriteOnce: "RWO", ReadOnlyMany: "ROX", ReadWriteMany: "RWX", ReadWriteOncePod: "RWOP" };
const accessModes = (modes: unknown): string => A(modes).map((m) => ACCESS_MODES[str(m)] ?? str(m)).join(",");
const terminatingOr = (o: KubeObject, phase: string): string => (o.metadata.deletionTimestamp ? "Terminating" : phase);

function ingressHosts(rules: unknown[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    const host = str(J(rule)["host"]);
    if (!more && host) hosts.push(host);
  }
  if (hosts.length === 0) return "*";
  return more ? `${hosts.join(",")} + ${rules.length - max} more...` : hosts.join(",");
}

function loadBalancerAddress(o: KubeObject, wide: boolean): string {
  const entries = A(J(status(o)["loadBalancer"])["ingress"]).map((i) => str(J(i)["ip"]) || str(J(i)["hostname"])).filter(Boolean);
  const joined = entries.join(",");
  return !wide && joined.length > 16 ? `${joined.slice(0, 13)}...` : joined;
}

function hpaTargets(o: KubeObject): string {
  const specs = A(spec(o)["metrics"]).map(J);
  if (specs.length === 0) return "<none>";
  const current = A(status(o)["currentMetrics"]).map(J);
  const list = specs.map((m, i) => {
    const source = J(m[String(m["type"]).charAt(0).toLowerCase() + String(m["type"]).slice(1)]);
    const name = str(source["name"]) || str(J(source["metric"])["name"]);
    const target = J(source["target"]);
    const now = J(J(current[i])[String(m["type"]).charAt(0).toLowerCase() + String(m["type"]).slice(1)]);
    const nowValue = J(now["current"]);
    if (target["averageUtilization"] !== undefined || (m["type"] === "Resource" && target["averageValue"] === undefined)) {
      const cur = nowValue["averageUtilization"] !== undefined ? `${num(nowValue["averageUtilization"])}%` : "<unknown>";
      const tgt = target["averageUtilization"] !== undefined ? `${num(target["averageUtilization"])}%` : "<auto>";
      return `${name}: ${cur}/${tgt}`;
    }
    const want = str(target["averageValue"]) || str(target["value"]) || String(target["averageValue"] ?? target["value"] ?? "");
    const have = str(nowValue["averageValue"]) || str(nowValue["value"]) || "<unknown>";
    return `${name}: ${have}/${want}`;
  });
  const max = 2;
  return list.length > max ? `${list.slice(0, max).join(", ")} + ${list.length - max} more...` : list.join(", ");
}

/** "cpu: 500m/2, pods: 3/10": each hard limit with its usage, requests and limits in separate columns. */
function quotaColumns(o: KubeObject): [string, string] {
  const hard = J(status(o)["hard"]);
  const used = J(status(o)["used"]);
  const names = Object.keys(J(spec(o)["hard"])).sort();
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of names) {
    const cell = `${name}: ${str(used[name], "0")}/${str(hard[name], "0")}`;
    (name.split(".").length > 1 && name.split(".")[0] === "limits" ? limit : request).push(cell);
  }
  return [request.join(", "), limit.join(", ")];
}

function bindingSubjects(o: KubeObject, kind: string): string {
  return A(o["subjects"])
    .map(J)
    .filter((s) => s["kind"] === kind)
    .map((s) => (kind === "ServiceAccount" ? `${str(s["namespace"])}/${str(s["name"])}` : str(s["name"])))
    .join(", ");
}

const roleBinding: Printer = {
  columns: [NAME, col("Role"), col("Age"), col("Users", "string", 1), col("Groups", "string", 1), col("ServiceAccounts", "string", 1)],
  cells: (o, now) => [`${str(J(o["roleRef"])["kind"])}/${str(J(o["roleRef"])["name"])}`, age(o, now), bindingSubjects(o, "User"), bindingSubjects(o, "Group"), bindingSubjects(o, "ServiceAccount")],
};

export const EXTRA_PRINTERS: Record<string, Printer> = {
  "networking.k8s.io/Ingress": {
    columns: [NAME, col("Class"), col("Hosts"), col("Address"), col("Ports"), col("Age")],
    cells: (o, now) => [str(spec(o)["ingressClassName"], "<none>"), ingressHosts(A(spec(o)["rules"])), loadBalancerAddress(o, false), A(spec(o)["tls"]).length ? "80, 443" : "80", age(o, now)],
  },
  "networking.k8s.io/IngressClass": {
    columns: [NAME, col("Controller"), col("Parameters"), col("Age")],
    cells: (o, now) => {
      const p = J(spec(o)["parameters"]);
      const params = p["name"] ? `${str(p["kind"])}${p["apiGroup"] ? `.${str(p["apiGroup"])}` : ""}/${str(p["name"])}` : "<none>";
      return [str(spec(o)["controller"]), params, age(o, now)];
    },
  },
  "networking.k8s.io/NetworkPolicy": {
    columns: [NAME, col("Pod-Selector"), col("Age")],
    cells: (o, now) => [selectorToString(J(spec(o)["podSelector"]) as LabelSelectorObject) || "<none>", age(o, now)],
  },
  "autoscaling/HorizontalPodAutoscaler": {
    columns: [NAME, col("Reference"), col("Targets"), col("MinPods"), col("MaxPods", "integer"), col("Replicas", "integer"), col("Age")],
    cells: (o, now) => {
      const ref = J(spec(o)["scaleTargetRef"]);
      const min = spec(o)["minReplicas"];
      return [`${str(ref["kind"])}/${str(ref["name"])}`, hpaTargets(o), typeof min === "number" ? String(min) : "<unset>", num(spec(o)["maxReplicas"]), num(status(o)["currentReplicas"]), age(o, now)];
    },
  },
  "/PersistentVolumeClaim": {
    columns: [NAME, col("Status"), col("Volume"), col("Capacity"), col("Access Modes"), col("StorageClass"), col("VolumeAttributesClass"), col("Age"), col("VolumeMode", "string", 1)],
    cells: (o, now) => {
      const bound = str(spec(o)["volumeName"]) !== "";
      return [
        terminatingOr(o, str(status(o)["phase"])),
        str(spec(o)["volumeName"]),
        bound ? str(J(status(o)["capacity"])["storage"]) : "",
        bound ? accessModes(status(o)["accessModes"]) : "",
        str(spec(o)["storageClassName"]),
        str(spec(o)["volumeAttributesClassName"], "<unset>"),
        age(o, now),
        str(spec(o)["volumeMode"], "<unset>"),
      ];
    },
  },
  "/PersistentVolume": {
    columns: [NAME, col("Capacity"), col("Access Modes"), col("Reclaim Policy"), col("Status"), col("Claim"), col("StorageClass"), col("VolumeAttributesClass"), col("Reason"), col("Age"), col("VolumeMode", "string", 1)],
    cells: (o, now) => {
      const claim = J(spec(o)["claimRef"]);
      return [
        str(J(spec(o)["capacity"])["storage"]),
        accessModes(spec(o)["accessModes"]),
        str(spec(o)["persistentVolumeReclaimPolicy"]),
        terminatingOr(o, str(status(o)["phase"])),
        claim["name"] ? `${str(claim["namespace"])}/${str(claim["name"])}` : "",
        str(spec(o)["storageClassName"]),
        str(spec(o)["volumeAttributesClassName"], "<unset>"),
        str(status(o)["reason"]),
        age(o, now),
        str(spec(o)["volumeMode"], "<unset>"),
      ];
    },
  },
  "/ResourceQuota": {
    columns: [NAME, col("Age"), col("Request"), col("Limit")],
    cells: (o, now) => [age(o, now), ...quotaColumns(o)],
  },
  "/LimitRange": defaultTable,
  "rbac.authorization.k8s.io/Role": defaultTable,
  "rbac.authorization.k8s.io/ClusterRole": defaultTable,
  "rbac.authorization.k8s.io/RoleBinding": roleBinding,
  "rbac.authorization.k8s.io/ClusterRoleBinding": roleBinding,
  "apiextensions.k8s.io/CustomResourceDefinition": defaultTable,
  "autoscaling/Scale": {
    columns: [NAME, col("Desired", "integer"), col("Available", "integer")],
    cells: (o) => [num(spec(o)["replicas"]), num(status(o)["replicas"])],
  },
};

