import { compare, fromFieldsV1, isWithin, itemKey, pathElements, pathString, toFieldSet, toFieldsV1 } from "./fieldset.js";
import type { FieldSet } from "./fieldset.js";
import { fieldSchema, kindSchema, schemaNode } from "./schemas.js";
import { ApiError } from "./status.js";
import { clone, isRecord } from "./types.js";
import type { Json, KubeObject } from "./types.js";

/**
 * Server-side apply and managed-fields tracking, following the API server's field manager
 * (k8s.io/apimachinery managedfields and sigs.k8s.io/structured-merge-diff): every write records which
 * manager owns which fields in `metadata.managedFields`; an apply merges the applied configuration into
 * the live object, removes fields the manager applied before and no longer applies (unless another
 * manager owns them), and fails with 409 when it would change a value another manager owns, unless
 * forced, in which case ownership moves to the applier.
 */

export interface ManagedFieldsEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time?: string;
  fieldsType: "FieldsV1";
  fieldsV1: Json;
  subresource?: string;
}

interface Manager {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string | undefined;
  set: Set<string>;
}

export interface WriteContext {
  /** The `fieldManager` query parameter, or the user agent's product name as the server derives it. */
  manager: string;
  apiVersion: string;
  /** Kinds with a status subresource: writes to the main resource neither set nor own status. */
  resetStatus: boolean;
  now: string;
}

/** The manager the API server records for a request without `fieldManager`: the user agent up to "/". */
export function managerFor(fieldManager: string | null | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  return (userAgent ?? "unknown").split("/")[0]?.slice(0, 128) || "unknown";
}

/** The name the API server gives the fields of an object that existed before its first apply. */
const BEFORE_FIRST_APPLY = "before-first-apply";

const managerId = (m: Pick<Manager, "manager" | "operation" | "apiVersion">): string =>
  m.operation === "Apply" ? JSON.stringify([m.manager, m.operation]) : JSON.stringify([m.manager, m.operation, m.apiVersion]);

/** Paths the field manager never tracks (stripmeta.go), and status where a subresource owns it. */
function tracked(set: FieldSet, resetStatus: boolean): FieldSet {
  const strip = ["f:apiVersion", "f:kind", "f:metadata", ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "resourceVersion"].map((f) => `f:metadata\nf:${f}`)];
  const subtrees = ["f:metadata\nf:managedFields", ...(resetStatus ? ["f:status"] : [])];
  for (const key of [...set.keys()]) {
    if (strip.includes(key) || subtrees.some((s) => key === s || isWithin(key, s))) set.delete(key);
  }
  return set;
}

function fieldsOf(obj: unknown, ctx: WriteContext, kind: string): FieldSet {
  return tracked(toFieldSet(obj, kindSchema(ctx.apiVersion, kind)), ctx.resetStatus);
}

function decodeManagers(obj: KubeObject | undefined): Manager[] {
  const entries = obj?.metadata.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries.filter(isRecord).flatMap((e) => {
    if (typeof e["manager"] !== "string" || (e["operation"] !== "Apply" && e["operation"] !== "Update") || e["subresource"]) return [];
    return [{ manager: e["manager"], operation: e["operation"], apiVersion: String(e["apiVersion"] ?? ""), time: typeof e["time"] === "string" ? e["time"] : undefined, set: fromFieldsV1(e["fieldsV1"]) }];
  });
}

function encodeManagers(managers: Manager[]): ManagedFieldsEntry[] {
  return managers
    .filter((m) => m.set.size > 0)
    .sort((p, q) => p.operation.localeCompare(q.operation) || (p.time ?? "").localeCompare(q.time ?? "") || p.manager.localeCompare(q.manager) || p.apiVersion.localeCompare(q.apiVersion))
    .map((m) => ({ manager: m.manager, operation: m.operation, apiVersion: m.apiVersion, ...(m.time ? { time: m.time } : {}), fieldsType: "FieldsV1", fieldsV1: toFieldsV1(m.set) }));
}

/** One conflict per (manager, path), as structured-merge-diff reports them. */
function conflictError(conflicts: { manager: Manager; path: string }[]): ApiError {
  const printManager = (m: Manager): string => (m.operation === "Update" ? `"${m.manager}" using ${m.apiVersion}` : `"${m.manager}"`);
  let message: string;
  if (conflicts.length === 1) {
    const [only] = conflicts as [{ manager: Manager; path: string }];
    message = `Apply failed with 1 conflict: conflict with ${printManager(only.manager)}: ${pathString(only.path)}`;
  } else {
    const byManager = new Map<string, { manager: Manager; paths: string[] }>();
    for (const c of conflicts) {
      const id = managerId(c.manager);
      const entry = byManager.get(id) ?? { manager: c.manager, paths: [] };
      entry.paths.push(pathString(c.path));
      byManager.set(id, entry);
    }
    const lines = [...byManager.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([, e]) => [`conflicts with ${printManager(e.manager)}:`, ...e.paths.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError(409, "Conflict", message, {
    causes: conflicts.map((c) => ({ reason: "FieldManagerConflict", message: `conflict with ${printManager(c.manager)}`, field: pathString(c.path) })),
  });
}

/**
 * The ownership change of one write (structured-merge-diff's Updater.update): the writer takes what it
 * changed; other managers lose what was removed, and what was changed unless that is a conflict.
 */
function transfer(managers: Manager[], writer: string, before: FieldSet, after: FieldSet, force: boolean): { managers: Manager[]; changed: ReturnType<typeof compare> } {
  const changed = compare(before, after);
  const conflicts: { manager: Manager; path: string }[] = [];
  for (const m of managers) {
    if (managerId(m) === writer) continue;
    for (const key of m.set) if (changed.modified.has(key) || changed.added.has(key)) conflicts.push({ manager: m, path: key });
  }
  if (!force && conflicts.length > 0) throw conflictError(conflicts);
  const next = managers.map((m) => {
    if (managerId(m) === writer) return m;
    const set = new Set([...m.set].filter((k) => !changed.modified.has(k) && !changed.added.has(k) && !changed.removed.has(k)));
    return { ...m, set };
  });
  return { managers: next.filter((m) => m.set.size > 0 || managerId(m) === writer), changed };
}

/** Managed fields after a create, update or non-apply patch by `ctx.manager` (operation Update). */
export function trackUpdate(live: KubeObject | undefined, next: KubeObject, ctx: WriteContext): ManagedFieldsEntry[] | undefined {
  const current = decodeManagers(live);
  // Objects that never had managed fields stay untracked until their first apply (skipnonapplied.go).
  if (live && current.length === 0) return undefined;
  const writer: Manager = current.find((m) => managerId(m) === managerId({ manager: ctx.manager, operation: "Update", apiVersion: ctx.apiVersion })) ?? { manager: ctx.manager, operation: "Update", apiVersion: ctx.apiVersion, time: undefined, set: new Set() };
  const managers = current.includes(writer) ? current : [...current, writer];
  const { managers: after, changed } = transfer(managers, managerId(writer), live ? fieldsOf(live, ctx, next.kind) : new Map(), fieldsOf(next, ctx, next.kind), true);
  const set = new Set([...writer.set].filter((k) => !changed.removed.has(k)));
  for (const k of [...changed.modified, ...changed.added]) set.add(k);
  const touched = changed.modified.size + changed.added.size + changed.removed.size > 0;
  const updated = after.map((m) => (m === writer ? { ...m, set, time: touched || !m.time ? ctx.now : m.time } : m));
  return encodeManagers(updated);
}

/** Merges an applied configuration into a live object by the schema's list and map semantics. */
function merge(live: unknown, config: unknown, schema: Json | undefined): unknown {
  const node = schemaNode(schema);
  if (isRecord(config) && isRecord(live) && !((node.kind === "struct" || node.kind === "map") && node.atomic) && node.kind !== "list" && node.kind !== "scalar") {
    const out = clone(live);
    for (const [key, value] of Object.entries(config)) out[key] = merge(live[key], value, fieldSchema(node, key));
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live) && node.kind === "list" && node.listType !== "atomic") {
    const out = live.map((item) => clone(item) as unknown);
    const identity = (item: unknown): string => (node.listType === "map" ? itemKey(item, node.keys) : JSON.stringify(item));
    for (const item of config) {
      const at = out.findIndex((existing) => identity(existing) === identity(item));
      if (at === -1) out.push(clone(item));
      else out[at] = merge(out[at], item, node.element);
    }
    return out;
  }
  return clone(config);
}

/** Removes one path from an object, if it is there. */
function removePath(obj: unknown, key: string, schema: Json | undefined): void {
  const elements = pathElements(key);
  let cur: unknown = obj;
  let node = schemaNode(schema);
  for (const [i, element] of elements.entries()) {
    const last = i === elements.length - 1;
    if (element.startsWith("f:") && isRecord(cur)) {
      const name = element.slice(2);
      if (last) {
        delete cur[name];
        return;
      }
      const childSchema = fieldSchema(node, name);
      cur = cur[name];
      node = schemaNode(childSchema);
    } else if (Array.isArray(cur) && node.kind === "list") {
      const list = cur;
      const index = list.findIndex((item) => (node.kind === "list" && node.listType === "map" ? itemKey(item, node.keys) : `v:${JSON.stringify(item)}`) === element);
      if (index === -1) return;
      if (last) {
        list.splice(index, 1);
        return;
      }
      cur = list[index];
      node = schemaNode(node.element);
    } else return;
  }
}

export interface ApplyRequest {
  live: KubeObject | undefined;
  config: KubeObject;
  force: boolean;
  ctx: WriteContext;
}

/** The object an apply produces and its managed fields; throws the 409 a real server sends on conflicts. */
export function serverSideApply({ live, config, force, ctx }: ApplyRequest): KubeObject {
  const schema = kindSchema(ctx.apiVersion, config.kind);
  let managers = decodeManagers(live);
  if (live && managers.length === 0) {
    // The fields of an object that was never applied belong to "before-first-apply" (skipnonapplied.go).
    managers = [{ manager: BEFORE_FIRST_APPLY, operation: "Update", apiVersion: ctx.apiVersion, time: ctx.now, set: new Set(fieldsOf(live, ctx, config.kind).keys()) }];
  }
  const applier: Manager = { manager: ctx.manager, operation: "Apply", apiVersion: ctx.apiVersion, time: ctx.now, set: new Set(fieldsOf(config, ctx, config.kind).keys()) };
  const id = managerId(applier);
  const previous = managers.find((m) => managerId(m) === id);
  managers = [...managers.filter((m) => m !== previous), applier];

  const base: KubeObject = live ? clone(live) : { apiVersion: config.apiVersion, kind: config.kind, metadata: { name: config.metadata.name } };
  const configWithoutStatus = clone(config) as Json;
  if (ctx.resetStatus) delete configWithoutStatus["status"];
  const merged = merge(base, configWithoutStatus, schema) as KubeObject;
  if (previous) {
    // Fields this manager applied before and applies no more go away, unless someone else owns them.
    const owned = (key: string): boolean => managers.some((m) => m !== applier && [...m.set].some((k) => k === key || isWithin(k, key)));
    const dropped = [...previous.set].filter((k) => !applier.set.has(k) && ![...applier.set].some((a) => isWithin(a, k)) && !owned(k));
    for (const key of dropped.sort((a, b) => pathElements(b).length - pathElements(a).length)) removePath(merged, key, schema);
  }
  const liveFields = live ? fieldsOf(live, ctx, config.kind) : new Map<string, string>();
  const { managers: after } = transfer(managers, id, liveFields, fieldsOf(merged, ctx, config.kind), force);
  merged.metadata.managedFields = encodeManagers(after);
  return merged;
}
