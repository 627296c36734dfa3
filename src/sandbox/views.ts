import type { ResourceType } from "./resources.js";
import { apiVersionOf } from "./resources.js";
import { isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/**
 * Conversion between a stored object and the version a request addressed. Only events.k8s.io/v1
 * Events differ from their storage (core/v1 Events); everything else is served as stored.
 */
export function toView(type: ResourceType, stored: KubeObject): KubeObject {
  if (!type.storedAs) return { ...stored, apiVersion: apiVersionOf(type), kind: type.kind };
  const s = stored as Json;
  const view: Json = {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    metadata: stored.metadata,
    eventTime: s["eventTime"] ?? null,
    reportingController: s["reportingComponent"] ?? "",
    reportingInstance: s["reportingInstance"] ?? "",
    reason: s["reason"],
    regarding: s["involvedObject"],
    note: s["message"],
    type: s["type"],
    deprecatedSource: s["source"],
    deprecatedFirstTimestamp: s["firstTimestamp"],
    deprecatedLastTimestamp: s["lastTimestamp"],
    deprecatedCount: s["count"],
  };
  for (const key of ["series", "related", "action"]) if (s[key] !== undefined) view[key] = s[key];
  return view as KubeObject;
}

export function fromView(type: ResourceType, view: KubeObject): KubeObject {
  if (!type.storedAs) return view;
  const v = view as Json;
  const core: Json = {
    apiVersion: "v1",
    kind: "Event",
    metadata: view.metadata,
    involvedObject: isRecord(v["regarding"]) ? v["regarding"] : {},
    reason: v["reason"],
    message: v["note"],
    type: v["type"],
    source: v["deprecatedSource"] ?? { component: v["reportingController"] },
    firstTimestamp: v["deprecatedFirstTimestamp"] ?? null,
    lastTimestamp: v["deprecatedLastTimestamp"] ?? null,
    count: v["deprecatedCount"] ?? 1,
    eventTime: v["eventTime"] ?? null,
    reportingComponent: v["reportingController"] ?? "",
    reportingInstance: v["reportingInstance"] ?? "",
  };
  for (const key of ["series", "related", "action"]) if (v[key] !== undefined) core[key] = v[key];
  return core as KubeObject;
}
