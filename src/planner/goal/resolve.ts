import type { InventoryObject, InventorySnapshot } from "../../kube/index.js";

/**
 * Resolves what a goal names against the cluster's inventory: the kind of a name said without one, the
 * namespace of a name that exists in exactly one, which of several words is a real object, and "did you mean"
 * for a misspelt name or namespace. Nothing is guessed: more than one match is a question back.
 */
export type Resolution =
  | { readonly kind: "resolved"; readonly name: string; readonly resource: string; readonly namespace?: string; readonly object?: InventoryObject }
  | { readonly kind: "unknown"; readonly field: "name" | "namespace"; readonly value: string; readonly suggestions: readonly string[]; readonly message: string }
  | { readonly kind: "ambiguous"; readonly field: "resource" | "namespace" | "name"; readonly options: readonly string[]; readonly message: string }
  | { readonly kind: "none" };

/** Card resources the inventory lists; for the others (services, configmaps …) it cannot confirm or deny a name. */
const COVERED: ReadonlySet<string> = new Set(["deployment", "statefulset", "daemonset", "job", "service", "kustomization", "node", "pod"]);

/** Inventory kinds as the cards name their resource (a CronJob is re-run by the job card). */
const CARD_RESOURCE: Readonly<Record<string, string>> = { cronjob: "job" };

export interface ResolveRequest {
  /** Candidate object names from the text, most likely first. */
  readonly names: readonly string[];
  /** The kind the goal stated, as a card resource, if any. */
  readonly resource?: string;
  readonly namespace?: string;
  /** Card resources the chosen intent can act on. */
  readonly resources: ReadonlySet<string>;
}

export function resolveAgainstInventory(inventory: InventorySnapshot, request: ResolveRequest): Resolution {
  const { names, namespace, resources } = request;
  if (namespace !== undefined && !inventory.namespaces.has(namespace)) {
    const suggestions = closest(namespace, [...inventory.namespaces]);
    return { kind: "unknown", field: "namespace", value: namespace, suggestions, message: `namespace "${namespace}" does not exist in the cluster${didYouMean(suggestions)}` };
  }
  if (request.resource !== undefined && !COVERED.has(request.resource)) return { kind: "none" };
  const matchesOf = (name: string) => {
    const objects = inventory.objects.filter(
      (o) =>
        o.name === name &&
        (namespace === undefined || o.namespace === namespace) &&
        resources.has(CARD_RESOURCE[o.kind] ?? o.kind) &&
        (request.resource === undefined || (CARD_RESOURCE[o.kind] ?? o.kind) === request.resource),
    );
    const node = resources.has("node") && (request.resource === undefined || request.resource === "node") && inventory.nodes.has(name);
    const podNamespaces = [...inventory.pods].filter((key) => key.endsWith(`/${name}`)).map((key) => key.slice(0, key.indexOf("/")));
    const pods =
      resources.has("pod") && (request.resource === undefined || request.resource === "pod")
        ? podNamespaces.filter((ns) => namespace === undefined || ns === namespace)
        : [];
    return { objects, node, pods };
  };
  const found = names.map((name) => ({ name, ...matchesOf(name) })).filter((m) => m.objects.length > 0 || m.node || m.pods.length > 0);
  if (found.length > 1) {
    return { kind: "ambiguous", field: "name", options: found.map((f) => f.name), message: `several objects are named in the goal: ${found.map((f) => f.name).join(", ")}` };
  }
  const match = found[0];
  if (match === undefined) return unknownName(inventory, request);
  const kinds = [...new Set([...match.objects.map((o) => CARD_RESOURCE[o.kind] ?? o.kind), ...(match.pods.length ? ["pod"] : []), ...(match.node ? ["node"] : [])])];
  if (kinds.length === 1 && kinds[0] === "node") return { kind: "resolved", name: match.name, resource: "node" };
  if (kinds.length === 1 && kinds[0] === "pod") {
    if (match.pods.length > 1) return { kind: "ambiguous", field: "namespace", options: match.pods, message: `pod "${match.name}" exists in several namespaces: ${match.pods.join(", ")}` };
    return { kind: "resolved", name: match.name, resource: "pod", ...(match.pods[0] !== undefined ? { namespace: match.pods[0] } : {}) };
  }
  if (kinds.length > 1) {
    const options = kinds;
    return { kind: "ambiguous", field: "resource", options, message: `"${match.name}" is a ${options.join(" and a ")} in the cluster; say which` };
  }
  const namespaces = [...new Set(match.objects.map((o) => o.namespace))];
  if (namespaces.length > 1) {
    return { kind: "ambiguous", field: "namespace", options: namespaces, message: `"${match.name}" exists in several namespaces: ${namespaces.join(", ")}` };
  }
  const object = match.objects[0];
  if (object === undefined) return { kind: "none" };
  return { kind: "resolved", name: match.name, resource: kinds[0] ?? object.kind, namespace: object.namespace, object };
}


function unknownName(inventory: InventorySnapshot, request: ResolveRequest): Resolution {
  const [name] = request.names;
  if (name === undefined) return { kind: "none" };
  // The object may be of a kind the inventory does not list (a service, a configmap): no verdict.
  if (request.resource === undefined && [...request.resources].some((r) => !COVERED.has(r))) return { kind: "none" };
  // "restart media": a namespace, not a workload in it.
  if (inventory.namespaces.has(name) && request.namespace === undefined) {
    const inside = inventory.objects.filter((o) => o.namespace === name && request.resources.has(CARD_RESOURCE[o.kind] ?? o.kind)).map((o) => o.name);
    return { kind: "unknown", field: "name", value: name, suggestions: inside, message: `"${name}" is a namespace; which object in it?` };
  }
  const pool = inventory.objects
    .filter((o) => (request.namespace === undefined || o.namespace === request.namespace) && request.resources.has(CARD_RESOURCE[o.kind] ?? o.kind))
    .map((o) => o.name);
  if (request.resources.has("node")) pool.push(...inventory.nodes);
  const elsewhere = inventory.objects.filter((o) => o.name === name && request.resources.has(CARD_RESOURCE[o.kind] ?? o.kind)).map((o) => o.namespace);
  if (elsewhere.length > 0) {
    return { kind: "unknown", field: "namespace", value: request.namespace ?? "", suggestions: [...new Set(elsewhere)], message: `"${name}" is not in ${request.namespace ?? "that namespace"}; it exists in ${[...new Set(elsewhere)].join(", ")}` };
  }
  const otherKind = inventory.objects.find((o) => o.name === name && (request.namespace === undefined || o.namespace === request.namespace));
  if (otherKind) {
    return { kind: "unknown", field: "name", value: name, suggestions: [], message: `"${name}" is a ${otherKind.kind} in ${otherKind.namespace}, and this operation has no card for a ${otherKind.kind}` };
  }
  const suggestions = closest(name, [...new Set(pool)]);
  const where = request.namespace === undefined ? "the cluster" : `namespace ${request.namespace}`;
  const kinds = request.resource ?? [...request.resources].join("/");
  return { kind: "unknown", field: "name", value: name, suggestions, message: `no ${kinds} named "${name}" in ${where}${didYouMean(suggestions)}` };
}

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(" or ")}?` : "";
}

/** Names within two edits (Damerau-Levenshtein, optimal string alignment), closest first, at most three. */
export function closest(word: string, pool: readonly string[]): string[] {
  return pool
    .map((candidate) => ({ candidate, distance: editDistance(word, candidate) }))
    .filter(({ distance }) => distance <= 2)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}
