import type { RecordedRequest } from "./http.js";
import { RESOURCES, storageKey } from "./resources.js";
import { route } from "./router.js";
import type { Store } from "./store.js";

/**
 * The API server's own /metrics in the Prometheus text format: apiserver_request_total per verb,
 * group, version, resource, subresource, scope and code (from the request log) and
 * apiserver_storage_objects per resource (from the store).
 */

const escape = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const labels = (l: Record<string, string>): string => `{${Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}`;

/** The verb label the API server reports (apply patches count as APPLY). */
function verbLabel(r: RecordedRequest): string {
  if (r.verb === "patch" && r.contentType?.startsWith("application/apply-patch")) return "APPLY";
  return r.verb === "get" || r.verb === "list" || r.verb === "watch" || r.verb === "deletecollection" ? r.verb.toUpperCase() : r.method;
}

export function apiServerMetrics(requests: readonly RecordedRequest[], store: Store): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    if (r.status === 0) continue;
    const target = route(r.path);
    if (target.kind !== "resource") continue;
    const t = target.target;
    const scope = t.name !== undefined ? "resource" : t.namespace !== undefined ? "namespace" : "cluster";
    const key = labels({ code: String(r.status), component: "apiserver", dry_run: r.query["dryRun"] ?? "", group: t.type.group, resource: t.type.resource, scope, subresource: t.subresource ?? "", verb: verbLabel(r), version: t.type.version });
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const lines = [
    "# HELP apiserver_request_total [STABLE] Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.",
    "# TYPE apiserver_request_total counter",
    ...[...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `apiserver_request_total${key} ${n}`),
    "# HELP apiserver_storage_objects [STABLE] Number of stored objects at the time of last check split by kind. In case of a fetching error, the value will be -1.",
    "# TYPE apiserver_storage_objects gauge",
  ];
  const stored = new Map<string, number>();
  for (const [key] of store.all()) stored.set(key, (stored.get(key) ?? 0) + 1);
  for (const r of RESOURCES) {
    if (r.storedAs || r.virtual) continue;
    lines.push(`apiserver_storage_objects${labels({ resource: r.group ? `${r.resource}.${r.group}` : r.resource })} ${stored.get(storageKey(r)) ?? 0}`);
  }
  return `${lines.join("\n")}\n`;
}
