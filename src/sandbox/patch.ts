import { ApiError } from "./status.js";
import { clone, isRecord } from "./types.js";
import type { Json } from "./types.js";

export type PatchType = "merge" | "json" | "strategic" | "apply";

export function patchTypeOf(contentType: string | undefined): PatchType | undefined {
  const base = (contentType ?? "").split(";")[0]?.trim();
  if (base === "application/merge-patch+json") return "merge";
  if (base === "application/json-patch+json") return "json";
  if (base === "application/strategic-merge-patch+json") return "strategic";
  if (base === "application/apply-patch+yaml") return "apply";
  return undefined;
}

const invalidPatch = (message: string): ApiError => new ApiError(422, "Invalid", message);

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  const out: Json = isRecord(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

function decodePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/")) throw invalidPatch(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, parts: string[], pointer: string): { parent: Json | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const part of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isRecord(cur)) cur = cur[part];
    else cur = undefined;
    if (cur === undefined) throw invalidPatch(`doc is missing path: "${pointer}"`);
  }
  if (!Array.isArray(cur) && !isRecord(cur)) throw invalidPatch(`doc is missing path: "${pointer}"`);
  return { parent: cur, last: parts[parts.length - 1] as string };
}

function readPointer(doc: unknown, pointer: string): unknown {
  let cur: unknown = doc;
  for (const part of decodePointer(pointer)) {
    if (Array.isArray(cur)) cur = cur[Number(part)];
    else if (isRecord(cur)) cur = cur[part];
    else cur = undefined;
    if (cur === undefined) throw invalidPatch(`doc is missing path: "${pointer}"`);
  }
  return cur;
}

function arrayIndex(parent: unknown[], last: string, forInsert: boolean, pointer: string): number {
  if (forInsert && last === "-") return parent.length;
  const index = Number(last);
  const max = forInsert ? parent.length : parent.length - 1;
  if (!/^\d+$/.test(last) || index > max) throw invalidPatch(`index out of bounds in "${pointer}"`);
  return index;
}

function addAt(doc: unknown, pointer: string, value: unknown): unknown {
  const parts = decodePointer(pointer);
  if (parts.length === 0) return clone(value);
  const { parent, last } = parentOf(doc, parts, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true, pointer), 0, clone(value));
  else parent[last] = clone(value);
  return doc;
}

function removeAt(doc: unknown, pointer: string): unknown {
  const parts = decodePointer(pointer);
  const { parent, last } = parentOf(doc, parts, pointer);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false, pointer), 1);
  else {
    if (!Object.hasOwn(parent, last)) throw invalidPatch(`unable to remove nonexistent key: ${last}: missing value`);
    delete parent[last];
  }
  return doc;
}

/** RFC 6902 JSON patch. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw invalidPatch("a JSON patch must be an array of operations");
  let doc = clone(target);
  for (const raw of ops) {
    if (!isRecord(raw) || typeof raw["op"] !== "string" || typeof raw["path"] !== "string") throw invalidPatch("each JSON patch operation needs op and path");
    const path = raw["path"];
    switch (raw["op"]) {
      case "add":
        doc = addAt(doc, path, raw["value"]);
        break;
      case "remove":
        doc = removeAt(doc, path);
        break;
      case "replace":
        readPointer(doc, path);
        doc = addAt(removeAt(doc, path), path, raw["value"]);
        break;
      case "move": {
        const value = readPointer(doc, String(raw["from"]));
        doc = addAt(removeAt(doc, String(raw["from"])), path, value);
        break;
      }
      case "copy":
        doc = addAt(doc, path, readPointer(doc, String(raw["from"])));
        break;
      case "test":
        if (JSON.stringify(readPointer(doc, path)) !== JSON.stringify(raw["value"])) throw invalidPatch(`testing value ${path} failed`);
        break;
      default:
        throw invalidPatch(`unexpected JSON patch operation "${raw["op"]}"`);
    }
  }
  return doc;
}

/** patchMergeKey of the list fields the core and apps types declare with patchStrategy=merge. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  volumes: "name",
  env: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  imagePullSecrets: "name",
  conditions: "type",
  ownerReferences: "uid",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
  ports: "port",
};
/** Lists of scalars merged as sets. */
const PRIMITIVE_MERGE = new Set(["finalizers"]);

function mergeKeyFor(field: string, items: unknown[]): string | undefined {
  // Container ports merge on containerPort, service ports on port; the items say which they are.
  if (field === "ports" && items.some((i) => isRecord(i) && "containerPort" in i)) return "containerPort";
  return MERGE_KEYS[field];
}

function strategicList(field: string, current: unknown, patch: unknown[], order: unknown): unknown[] {
  if (patch.some((i) => isRecord(i) && i["$patch"] === "replace")) {
    return patch.filter((i) => !(isRecord(i) && i["$patch"] === "replace"));
  }
  const base = Array.isArray(current) ? clone(current) : [];
  if (PRIMITIVE_MERGE.has(field)) return [...base, ...patch.filter((p) => !base.includes(p))];
  const key = mergeKeyFor(field, [...base, ...patch]);
  if (!key) return clone(patch);
  let out = base;
  for (const item of patch) {
    if (!isRecord(item)) continue;
    const index = out.findIndex((o) => isRecord(o) && o[key] === item[key]);
    if (item["$patch"] === "delete") {
      if (index >= 0) out.splice(index, 1);
    } else if (index >= 0) out[index] = strategicMerge(out[index], item);
    else out.push(strategicMerge({}, item));
  }
  if (Array.isArray(order)) {
    const rank = (o: unknown): number => {
      const at = order.findIndex((k) => isRecord(k) && isRecord(o) && k[key] === o[key]);
      return at < 0 ? order.length : at;
    };
    out = [...out].sort((a, b) => rank(a) - rank(b));
  }
  return out;
}

/** Strategic merge patch over the list semantics of the built-in types ($patch, $retainKeys, $setElementOrder, $deleteFromPrimitiveList). */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return clone(patch);
  if (patch["$patch"] === "delete") return undefined;
  if (patch["$patch"] === "replace") {
    const replaced = clone(patch);
    delete replaced["$patch"];
    return replaced;
  }
  const out: Json = isRecord(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys" || key.startsWith("$setElementOrder/") || key.startsWith("$deleteFromPrimitiveList/")) continue;
    if (value === null) delete out[key];
    else if (Array.isArray(value)) out[key] = strategicList(key, out[key], value, patch[`$setElementOrder/${key}`]);
    else if (isRecord(value)) {
      const merged = strategicMerge(out[key], value);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else out[key] = value;
  }
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith("$deleteFromPrimitiveList/") && Array.isArray(value)) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const list = out[field];
      if (Array.isArray(list)) out[field] = list.filter((v) => !value.includes(v));
    }
  }
  const retain = patch["$retainKeys"];
  if (Array.isArray(retain)) for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  return out;
}
