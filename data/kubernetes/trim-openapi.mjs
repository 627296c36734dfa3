// Regenerates openapi/definitions.json: the upstream Kubernetes OpenAPI v2 definitions of the kinds the
// sandbox serves, and everything they reference, unmodified. Usage:
//   node data/kubernetes/trim-openapi.mjs <upstream swagger.json> <source description>
// The upstream file is kubernetes/api/openapi-spec/swagger.json (vendored by kubernetes-client/python as
// kubernetes/swagger.json.unprocessed).
import console from "node:console";
import { readFileSync, writeFileSync } from "node:fs";
import process from "node:process";
import { URL } from "node:url";

const SERVED = {
  v1: ["Namespace", "Pod", "Event", "Node", "ConfigMap", "Secret", "Service", "Endpoints", "ServiceAccount", "PersistentVolumeClaim", "PersistentVolume", "ResourceQuota", "LimitRange"],
  "discovery.k8s.io/v1": ["EndpointSlice"],
  "apps/v1": ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "ControllerRevision"],
  "batch/v1": ["Job", "CronJob"],
  "policy/v1": ["PodDisruptionBudget", "Eviction"],
  "coordination.k8s.io/v1": ["Lease"],
  "events.k8s.io/v1": ["Event"],
  "networking.k8s.io/v1": ["Ingress", "IngressClass", "NetworkPolicy"],
  "autoscaling/v1": ["Scale"],
  "autoscaling/v2": ["HorizontalPodAutoscaler"],
  "rbac.authorization.k8s.io/v1": ["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
  "apiextensions.k8s.io/v1": ["CustomResourceDefinition"],
  "authorization.k8s.io/v1": ["SelfSubjectAccessReview", "SelfSubjectRulesReview"],
  "authentication.k8s.io/v1": ["SelfSubjectReview"],
  "scheduling.k8s.io/v1": ["PriorityClass"],
};

const [input, source] = process.argv.slice(2);
if (!input || !source) throw new Error("usage: trim-openapi.mjs <swagger.json> <source description>");
const { definitions } = JSON.parse(readFileSync(input, "utf8"));

const gvkOf = (def) => (def["x-kubernetes-group-version-kind"] ?? []).map((g) => `${g.group ? `${g.group}/` : ""}${g.version}:${g.kind}`);
const wanted = new Set(Object.entries(SERVED).flatMap(([gv, kinds]) => kinds.map((k) => `${gv}:${k}`)));
const roots = Object.keys(definitions).filter((name) => gvkOf(definitions[name]).some((g) => wanted.has(g)));
const missing = [...wanted].filter((g) => !roots.some((name) => gvkOf(definitions[name]).includes(g)));
if (missing.length) throw new Error(`not in the upstream spec: ${missing.join(", ")}`);

const keep = new Set();
const visit = (value) => {
  if (Array.isArray(value)) return value.forEach(visit);
  if (typeof value !== "object" || value === null) return;
  for (const [key, v] of Object.entries(value)) {
    if (key === "$ref" && typeof v === "string") {
      const name = v.replace("#/definitions/", "");
      if (!keep.has(name)) {
        keep.add(name);
        visit(definitions[name]);
      }
    } else visit(v);
  }
};
for (const name of roots) {
  keep.add(name);
  visit(definitions[name]);
}
const out = Object.fromEntries([...keep].sort().map((name) => [name, definitions[name]]));
writeFileSync(new URL("./openapi/definitions.json", import.meta.url), `${JSON.stringify({ source, definitions: out })}\n`);
console.log(`${keep.size} definitions (${roots.length} served kinds)`);
