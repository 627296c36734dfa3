import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { customResourceSchemas } from "./crds.js";
import { isRecord } from "./types.js";
import type { Json } from "./types.js";

/**
 * The upstream OpenAPI v2 definitions of the served kinds (data/kubernetes/openapi/definitions.json,
 * trimmed from the Kubernetes spec by data/kubernetes/trim-openapi.mjs), plus Flux's CRD schemas. They drive `kubectl explain`
 * (served as /openapi/v2 and /openapi/v3) and server-side apply's merge rules (list types, list map
 * keys, atomic maps), as the API server derives both from the same models.
 */

const DEFINITIONS_FILE = fileURLToPath(new URL("../../data/kubernetes/openapi/definitions.json", import.meta.url));
const REF_PREFIX = "#/definitions/";

interface Spec {
  source: string;
  definitions: Record<string, Json>;
}

let spec: Spec | undefined;

/** Parsed once, when first needed (half a megabyte of JSON). */
export function openApiDefinitions(): Spec {
  if (spec) return spec;
  const upstream = JSON.parse(readFileSync(DEFINITIONS_FILE, "utf8")) as Spec;
  // The custom resources' schemas come from their CRDs, as the API server adds them to its spec.
  spec = { ...upstream, definitions: { ...upstream.definitions, ...customResourceSchemas() } };
  return spec;
}

let byKind: Map<string, string> | undefined;

/** The definition name for a kind, e.g. io.k8s.api.apps.v1.Deployment for apps/v1 Deployment. */
function definitionNameFor(apiVersion: string, kind: string): string | undefined {
  if (!byKind) {
    byKind = new Map();
    for (const [name, def] of Object.entries(openApiDefinitions().definitions)) {
      const gvks = def["x-kubernetes-group-version-kind"];
      if (!Array.isArray(gvks)) continue;
      for (const g of gvks.filter(isRecord)) byKind.set(`${g["group"] ? `${String(g["group"])}/` : ""}${String(g["version"])}:${String(g["kind"])}`, name);
    }
  }
  return byKind.get(`${apiVersion}:${kind}`);
}

/** How server-side apply treats a value: the structural kinds of structured-merge-diff's schema. */
export type SchemaNode =
  | { kind: "struct"; fields: Record<string, Json>; atomic: boolean }
  | { kind: "map"; element: Json | undefined; atomic: boolean }
  | { kind: "list"; element: Json | undefined; listType: "atomic" | "set" | "map"; keys: string[] }
  | { kind: "scalar" }
  /** No schema (custom resources without one, unknown fields): maps merge key by key, lists are atomic. */
  | { kind: "deduced" };

function resolveRef(schema: Json): Json {
  let cur = schema;
  for (let depth = 0; depth < 8 && typeof cur["$ref"] === "string"; depth++) {
    const name = (cur["$ref"] as string).replace(REF_PREFIX, "");
    cur = openApiDefinitions().definitions[name] ?? {};
  }
  return cur;
}

export function schemaNode(schema: Json | undefined): SchemaNode {
  if (!schema) return { kind: "deduced" };
  const s = resolveRef(schema);
  const atomic = s["x-kubernetes-map-type"] === "atomic";
  if (isRecord(s["properties"])) return { kind: "struct", fields: s["properties"] as Record<string, Json>, atomic };
  if (s["type"] === "object" && isRecord(s["additionalProperties"])) return { kind: "map", element: s["additionalProperties"], atomic };
  if (s["type"] === "array") {
    const listType = s["x-kubernetes-list-type"];
    const keys = Array.isArray(s["x-kubernetes-list-map-keys"]) ? (s["x-kubernetes-list-map-keys"] as string[]) : [];
    return { kind: "list", element: isRecord(s["items"]) ? s["items"] : undefined, listType: listType === "map" || listType === "set" ? listType : "atomic", keys };
  }
  // RawExtension and FieldsV1-like objects carry arbitrary JSON.
  if (s["type"] === "object") return { kind: "deduced" };
  return { kind: "scalar" };
}

/** The schema of one field of a struct or map node (undefined: unknown field, deduced). */
export function fieldSchema(node: SchemaNode, name: string): Json | undefined {
  if (node.kind === "struct") return node.fields[name];
  if (node.kind === "map") return node.element;
  return undefined;
}

/** The root schema of a kind, or undefined when the shipped spec does not define it (custom resources). */
export function kindSchema(apiVersion: string, kind: string): Json | undefined {
  const name = definitionNameFor(apiVersion, kind);
  return name ? { $ref: `${REF_PREFIX}${name}` } : undefined;
}

const V3_REF_PREFIX = "#/components/schemas/";

/** An OpenAPI v2 schema in v3 spelling, as the API server publishes /openapi/v3: refs with siblings go in allOf. */
function toV3(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toV3);
  if (!isRecord(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) out[key] = key === "$ref" && typeof v === "string" ? v.replace(REF_PREFIX, V3_REF_PREFIX) : toV3(v);
  if (typeof out["$ref"] === "string" && Object.keys(out).length > 1) {
    const { $ref, ...rest } = out;
    return { ...rest, allOf: [{ $ref }] };
  }
  return out;
}

/** The definitions a set of kinds needs: their own and everything they reference, transitively. */
function closure(roots: string[]): string[] {
  const { definitions } = openApiDefinitions();
  const keep = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (!isRecord(value)) return;
    for (const [key, v] of Object.entries(value)) {
      if (key === "$ref" && typeof v === "string") {
        const name = v.replace(REF_PREFIX, "");
        if (!keep.has(name) && definitions[name]) {
          keep.add(name);
          visit(definitions[name]);
        }
      } else visit(v);
    }
  };
  for (const root of roots) {
    if (keep.has(root) || !definitions[root]) continue;
    keep.add(root);
    visit(definitions[root]);
  }
  return [...keep].sort();
}

/** components.schemas of one group version's /openapi/v3 document. */
export function v3Schemas(group: string, version: string, kinds: readonly string[]): Json {
  const apiVersion = group === "" ? version : `${group}/${version}`;
  const roots = kinds.map((kind) => definitionNameFor(apiVersion, kind)).filter((n): n is string => n !== undefined);
  const { definitions } = openApiDefinitions();
  return Object.fromEntries(closure(roots).map((name) => [name, toV3(definitions[name])]));
}

/** The /openapi/v2 document: every shipped definition (JSON; client-go asks for protobuf, which is not served). */
export function v2Document(minor: number): Json {
  return { swagger: "2.0", info: { title: "Kubernetes", version: `v1.${minor}.0` }, paths: {}, definitions: openApiDefinitions().definitions };
}
