import { call, DECLINE, json, ok, query, resolveType, type CommandContext, type CommandOutput, type Planned } from "./command.js";
import { collectionPath, kindPrefix, objectPath, type ResourceInfo } from "./discovery.js";
import { serverError } from "./errors.js";
import { flagSet, isPathSafeName, parseFlags } from "./flags.js";
import { compareBytes, goJson } from "./gojson.js";
import { goYaml } from "./goyaml.js";
import { goSort } from "./gosort.js";
import { simplePath, sortable, sortValueLess, valueAt } from "./sort.js";
import { alignColumns } from "./tabwriter.js";

const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

const GET_FLAGS = {
  long: { "all-namespaces": "bool", selector: "value", "field-selector": "value", output: "value", "show-labels": "bool", "sort-by": "value" },
  short: { A: "all-namespaces", l: "selector", o: "output" },
} as const;

type Output = "table" | "wide" | "name" | "json" | "yaml";
const OUTPUTS: Readonly<Record<string, Output>> = { wide: "wide", name: "name", json: "json", yaml: "yaml" };

/** Kinds whose full objects carry credentials: `-o json|yaml` of them is left to kubectl (and its redaction path). */
const SECRET_KINDS = new Set(["Secret"]);

export interface GetRequest {
  type: string;
  name: string | undefined;
  namespace: string | undefined;
  allNamespaces: boolean;
  labelSelector: string | undefined;
  fieldSelector: string | undefined;
  output: Output;
  showLabels: boolean;
  sortBy: string[] | undefined;
}

/** `kubectl get TYPE [NAME] | TYPE/NAME` with the flags above; undefined for any other shape. */
export function parseGet(args: readonly string[]): GetRequest | undefined {
  const p = parseFlags(args, GET_FLAGS);
  if (!p) return undefined;
  const target = getTarget(p.positionals);
  if (!target) return undefined;
  const rawOutput = p.flags.get("output");
  const output = rawOutput === undefined ? "table" : OUTPUTS[rawOutput];
  if (output === undefined) return undefined;
  const sortExpr = p.flags.get("sort-by");
  const sortBy = sortExpr === undefined ? undefined : simplePath(sortExpr);
  if (sortExpr !== undefined && (sortBy === undefined || output === "name")) return undefined;
  const allNamespaces = flagSet(p, "all-namespaces");
  const labelSelector = p.flags.get("selector");
  const fieldSelector = p.flags.get("field-selector");
  // kubectl rejects or reinterprets these combinations; its own messages are the right answer.
  if (target.name !== undefined && (allNamespaces || labelSelector !== undefined || fieldSelector !== undefined || sortBy)) return undefined;
  if (flagSet(p, "show-labels") && (output === "name" || output === "json" || output === "yaml")) return undefined;
  return {
    ...target,
    namespace: p.flags.get("namespace"),
    allNamespaces,
    labelSelector,
    fieldSelector,
    output,
    showLabels: flagSet(p, "show-labels"),
    sortBy,
  };
}

function getTarget(positionals: readonly string[]): { type: string; name: string | undefined } | undefined {
  const [first, second, ...rest] = positionals;
  if (first === undefined || rest.length > 0 || first.includes(",")) return undefined;
  if (first.includes("/")) {
    const [type = "", name = "", extra] = first.split("/");
    if (second !== undefined || extra !== undefined || type === "" || !isPathSafeName(name)) return undefined;
    return { type, name };
  }
  if (first === "all" || (second !== undefined && !isPathSafeName(second))) return undefined;
  return { type: first, name: second };
}

export function planGet(req: GetRequest): Planned {
  return async (ctx) => {
    const info = await resolveType(ctx, req.type);
    if (!info) return DECLINE;
    if ((req.output === "json" || req.output === "yaml") && SECRET_KINDS.has(info.kind)) return DECLINE;
    const namespace = !info.namespaced || req.allNamespaces ? undefined : (req.namespace ?? ctx.defaultNamespace);
    return req.output === "table" || req.output === "wide" ? getTable(ctx, req, info, namespace) : getObjects(ctx, req, info, namespace);
  };
}

interface TableColumn {
  name: string;
  priority?: number;
}
interface TableRow {
  cells: unknown[];
  object?: { metadata?: { namespace?: string; labels?: Record<string, string> } };
}
interface Table {
  kind: "Table";
  columnDefinitions: TableColumn[];
  rows: TableRow[];
  metadata?: { continue?: string };
}

async function getTable(ctx: CommandContext, req: GetRequest, info: ResourceInfo, namespace: string | undefined): Promise<CommandOutput | typeof DECLINE> {
  const includeObject = req.sortBy ? "Object" : undefined;
  let columns: TableColumn[] = [];
  const rows: TableRow[] = [];
  if (req.name !== undefined) {
    const res = await call(ctx, { method: "GET", path: objectPath(info, namespace, req.name) + query({ includeObject }), accept: TABLE });
    if (res.status !== 200) return serverError(res);
    const table = json(res.body) as Table | undefined;
    if (table?.kind !== "Table") return DECLINE;
    columns = table.columnDefinitions;
    rows.push(...table.rows);
  } else {
    let cont: string | undefined;
    do {
      // kubectl reads a sorted listing in one request (no chunks), so the server's order is the one it sorts.
      const q = query({ labelSelector: req.labelSelector, fieldSelector: req.fieldSelector, limit: req.sortBy ? undefined : "500", continue: cont, includeObject });
      const res = await call(ctx, { method: "GET", path: collectionPath(info, namespace) + q, accept: TABLE });
      if (res.status !== 200) return serverError(res);
      const table = json(res.body) as Table | undefined;
      if (table?.kind !== "Table") return DECLINE;
      columns = table.columnDefinitions;
      rows.push(...table.rows);
      cont = table.metadata?.continue || undefined;
    } while (cont);
  }
  if (rows.length === 0) return ok("", noResources(namespace));
  if (req.sortBy) {
    const path = req.sortBy;
    const keyed = rows.map((row) => ({ row, key: valueAt(row.object, path) }));
    // kubectl fails when a row lacks the field; its message is the right one, so decline before printing.
    if (keyed.some((k) => !sortable(k.key))) return DECLINE;
    goSort(keyed, (a, b) => sortValueLess(a.key, b.key));
    rows.splice(0, rows.length, ...keyed.map((k) => k.row));
  }
  const wide = req.output === "wide";
  const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => wide || (c.priority ?? 0) === 0);
  const withNamespace = req.allNamespaces && info.namespaced;
  const header = [...(withNamespace ? ["NAMESPACE"] : []), ...shown.map(({ c }) => c.name.toUpperCase()), ...(req.showLabels ? ["LABELS"] : [])];
  const lines = rows.map((row) => [
    ...(withNamespace ? [row.object?.metadata?.namespace ?? ""] : []),
    ...shown.map(({ i }) => cellText(row.cells[i])),
    ...(req.showLabels ? [formatLabels(row.object?.metadata?.labels)] : []),
  ]);
  return ok(alignColumns([header, ...lines]));
}

/** A cell as kubectl prints it: text up to its first newline (then "..."), other values as Go formats them. */
function cellText(cell: unknown): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") {
    const nl = cell.indexOf("\n");
    return nl < 0 ? cell : `${cell.slice(0, nl)}...`;
  }
  if (typeof cell === "object") return JSON.stringify(cell);
  return String(cell);
}

/** labels.FormatLabels: the "key=value" strings sorted as strings (so "app.kubernetes.io/name=…" before "app=…"). */
function formatLabels(labels: Record<string, string> | undefined): string {
  const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
  return pairs.length === 0 ? "<none>" : pairs.sort(compareBytes).join(",");
}

function noResources(namespace: string | undefined): string {
  return namespace === undefined ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`;
}

type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> & { name?: string } };

async function getObjects(ctx: CommandContext, req: GetRequest, info: ResourceInfo, namespace: string | undefined): Promise<CommandOutput | typeof DECLINE> {
  const apiVersion = info.group === "" ? info.version : `${info.group}/${info.version}`;
  if (req.name !== undefined) {
    const res = await call(ctx, { method: "GET", path: objectPath(info, namespace, req.name) });
    if (res.status !== 200) return serverError(res);
    const obj = json(res.body) as KubeObject | undefined;
    if (!obj) return DECLINE;
    return ok(render(req.output, [withoutManagedFields(obj)], info, false));
  }
  const items: KubeObject[] = [];
  let cont: string | undefined;
  do {
    const q = query({ labelSelector: req.labelSelector, fieldSelector: req.fieldSelector, limit: req.sortBy ? undefined : "500", continue: cont });
    const res = await call(ctx, { method: "GET", path: collectionPath(info, namespace) + q });
    if (res.status !== 200) return serverError(res);
    const list = json(res.body) as { items?: KubeObject[]; metadata?: { continue?: string } } | undefined;
    if (!Array.isArray(list?.items)) return DECLINE;
    // Lists omit each item's kind; kubectl's printers show it.
    for (const item of list.items) items.push(withoutManagedFields({ apiVersion, kind: info.kind, ...item }));
    cont = list.metadata?.continue || undefined;
  } while (cont);
  if (req.sortBy) {
    const path = req.sortBy;
    if (items.some((o) => !sortable(valueAt(o, path)))) return DECLINE;
    goSort(items, (a, b) => sortValueLess(valueAt(a, path), valueAt(b, path)));
  }
  return ok(render(req.output, items, info, true));
}

function render(output: Output, items: KubeObject[], info: ResourceInfo, asList: boolean): string {
  if (output === "name") return items.map((o) => `${kindPrefix(info)}/${o.metadata?.name ?? ""}\n`).join("");
  const value = asList ? { apiVersion: "v1", items, kind: "List", metadata: { resourceVersion: "" } } : items[0];
  return output === "json" ? goJson(value) : goYaml(value);
}

/** kubectl hides managedFields unless `--show-managed-fields` is given. */
function withoutManagedFields(obj: KubeObject): KubeObject {
  if (!obj.metadata || !("managedFields" in obj.metadata)) return obj;
  const { managedFields: _hidden, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
