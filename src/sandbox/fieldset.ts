import { fieldSchema, schemaNode } from "./schemas.js";
import type { SchemaNode } from "./schemas.js";
import { isRecord } from "./types.js";
import type { Json } from "./types.js";

/**
 * Field sets as server-side apply tracks them (sigs.k8s.io/structured-merge-diff). A path is a list of
 * elements in the `fieldsV1` spelling: `f:<field>`, `k:<json of the list-map keys>`, `v:<json value>`;
 * a set maps each member path (joined by SEP) to a fingerprint of the value there, so two sets also
 * tell which members changed.
 */

const SEP = "\n";
/** Fingerprint of a member that holds other members (a list item, a map entry with fields). */
const CONTAINER = "\u0000";

export type FieldSet = Map<string, string>;

const pathKey = (elements: readonly string[]): string => elements.join(SEP);
export const pathElements = (key: string): string[] => (key === "" ? [] : key.split(SEP));
export const isWithin = (key: string, ancestor: string): boolean => key.startsWith(ancestor + SEP);

/** The key of an associative list item: its list-map-key fields, by name (SMD sorts them). */
export function itemKey(item: unknown, keys: readonly string[]): string {
  const fields: Json = {};
  for (const k of [...keys].sort()) {
    let v = isRecord(item) ? item[k] : undefined;
    // Ports are keyed by containerPort and protocol; protocol defaults to TCP before the key is taken.
    if (v === undefined && k === "protocol") v = "TCP";
    if (v !== undefined) fields[k] = v;
  }
  return `k:${JSON.stringify(fields)}`;
}

function listItemElement(item: unknown, node: Extract<SchemaNode, { kind: "list" }>): string {
  return node.listType === "map" ? itemKey(item, node.keys) : `v:${JSON.stringify(item)}`;
}

/** The members an object sets (structured-merge-diff's ToFieldSet), with value fingerprints. */
export function toFieldSet(value: unknown, schema: Json | undefined): FieldSet {
  const out: FieldSet = new Map();
  walk(value, schema, [], out);
  return out;
}

function walk(value: unknown, schema: Json | undefined, prefix: string[], out: FieldSet): void {
  const node = schemaNode(schema);
  const insert = (fingerprint: string): void => {
    if (prefix.length > 0) out.set(pathKey(prefix), fingerprint);
  };
  if (isRecord(value)) {
    if ((node.kind === "struct" || node.kind === "map") && node.atomic) return insert(JSON.stringify(value));
    if (node.kind === "list" || node.kind === "scalar") return insert(JSON.stringify(value));
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, `f:${key}`];
      walk(child, fieldSchema(node, key), path, out);
      const declared = node.kind === "struct" && key in node.fields;
      if (child === null || (isRecord(child) && Object.keys(child).length === 0)) out.set(pathKey(path), JSON.stringify(child));
      else if (!declared && !out.has(pathKey(path))) out.set(pathKey(path), CONTAINER);
    }
    return;
  }
  if (Array.isArray(value)) {
    if (node.kind !== "list" || node.listType === "atomic") return insert(JSON.stringify(value));
    for (const item of value) {
      const path = [...prefix, listItemElement(item, node)];
      walk(item, node.element, path, out);
      out.set(pathKey(path), node.listType === "set" ? JSON.stringify(item) : CONTAINER);
    }
    return;
  }
  insert(JSON.stringify(value));
}

export interface Comparison {
  added: Set<string>;
  modified: Set<string>;
  removed: Set<string>;
}

export function compare(before: FieldSet, after: FieldSet): Comparison {
  const added = new Set<string>();
  const modified = new Set<string>();
  const removed = new Set<string>();
  for (const [key, fingerprint] of after) {
    const old = before.get(key);
    if (old === undefined) added.add(key);
    else if (old !== fingerprint) modified.add(key);
  }
  for (const key of before.keys()) if (!after.has(key)) removed.add(key);
  return { added, modified, removed };
}

/** fieldsV1: nested objects keyed by path element, "." marking a member that also has children. */
export function toFieldsV1(keys: Iterable<string>): Json {
  const root: Json = {};
  for (const key of keys) {
    let cur = root;
    for (const element of pathElements(key)) {
      cur[element] ??= {};
      cur = cur[element] as Json;
    }
    cur["."] = {};
  }
  const finish = (node: Json): Json => {
    const names = Object.keys(node).filter((k) => k !== ".").sort();
    if (names.length === 0) return {};
    const out: Json = node["."] ? { ".": {} } : {};
    for (const name of names) out[name] = finish(node[name] as Json);
    return out;
  };
  return finish(root);
}

export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown, prefix: string[]): void => {
    if (!isRecord(node)) return;
    const names = Object.keys(node);
    if (prefix.length > 0 && (names.length === 0 || names.includes("."))) out.add(pathKey(prefix));
    for (const name of names) if (name !== ".") visit(node[name], [...prefix, name]);
  };
  visit(fields, []);
  return out;
}

/** A path as structured-merge-diff prints it in conflict messages: .spec.containers[name="web"].image */
export function pathString(key: string): string {
  return pathElements(key)
    .map((element) => {
      const body = element.slice(2);
      if (element.startsWith("f:")) return `.${body}`;
      if (element.startsWith("v:")) return `[=${body}]`;
      if (element.startsWith("i:")) return `[${body}]`;
      const fields = JSON.parse(body) as Json;
      return `[${Object.entries(fields)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(",")}]`;
    })
    .join("");
}
