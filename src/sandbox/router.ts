import { boolParam } from "./params.js";
import { findResource } from "./resources.js";
import type { ResourceType } from "./resources.js";

/** A request path resolved against the served resources. */
export interface ResourcePath {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

export type Route =
  | { kind: "version" }
  | { kind: "health" }
  | { kind: "api" }
  | { kind: "apis" }
  | { kind: "group"; group: string }
  | { kind: "groupVersion"; group: string; version: string }
  | { kind: "openapiV2" }
  | { kind: "metrics" }
  | { kind: "nodeProxy"; node: string; path: string }
  | { kind: "openapiIndex" }
  | { kind: "openapiDoc"; path: string }
  | { kind: "resource"; target: ResourcePath }
  | { kind: "unknown" };

function resourceRoute(group: string, version: string, segs: string[]): Route {
  if (segs.length === 0) return { kind: "groupVersion", group, version };
  // /namespaces/{ns}/{resource}/... unless {resource} is not a namespaced resource (then it is a namespace subresource).
  if (segs[0] === "namespaces" && segs.length >= 3) {
    const type = findResource(group, version, segs[2] as string);
    if (type?.namespaced) {
      if (segs.length > 5) return { kind: "unknown" };
      return { kind: "resource", target: { type, namespace: segs[1], name: segs[3], subresource: segs[4] } };
    }
  }
  const type = findResource(group, version, segs[0] as string);
  if (!type || segs.length > 3) return { kind: "unknown" };
  return { kind: "resource", target: { type, namespace: undefined, name: segs[1], subresource: segs[2] } };
}

export function route(pathname: string): Route {
  const segs = pathname.split("/").filter((s) => s !== "").map(decodeURIComponent);
  const [first, second, third] = segs;
  if (first === "version" && segs.length === 1) return { kind: "version" };
  if ((first === "healthz" || first === "livez" || first === "readyz") && segs.length === 1) return { kind: "health" };
  if (first === "openapi" && second === "v2" && segs.length === 2) return { kind: "openapiV2" };
  if (first === "openapi" && second === "v3") return segs.length === 2 ? { kind: "openapiIndex" } : { kind: "openapiDoc", path: segs.slice(2).join("/") };
  if (first === "metrics" && segs.length === 1) return { kind: "metrics" };
  if (first === "api") {
    if (segs.length === 1) return { kind: "api" };
    if (second === "v1" && segs[2] === "nodes" && segs[3] !== undefined && segs[4] === "proxy") return { kind: "nodeProxy", node: segs[3], path: segs.slice(5).join("/") };
    if (second === "v1") return resourceRoute("", "v1", segs.slice(2));
    return { kind: "unknown" };
  }
  if (first === "apis") {
    if (segs.length === 1) return { kind: "apis" };
    if (segs.length === 2) return { kind: "group", group: second as string };
    return resourceRoute(second as string, third as string, segs.slice(3));
  }
  return { kind: "unknown" };
}

export function verbOf(method: string, r: Route, query: URLSearchParams): string {
  if (r.kind !== "resource") return method.toLowerCase();
  const named = r.target.name !== undefined;
  switch (method) {
    case "GET": {
      if (boolParam(query, "watch")) return "watch";
      return named ? "get" : "list";
    }
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return method.toLowerCase();
  }
}
