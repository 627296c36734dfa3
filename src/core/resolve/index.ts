import type { Card, ResolverName } from "../../cards/schema.js";
import { isDns1123Label, isDns1123Subdomain } from "../../kube/index.js";
import { RequestValidationError } from "../errors.js";
import type { Lookup } from "../response.js";
import { ResolveError } from "./errors.js";
import type { LookupDeps } from "./lookup.js";
import { resolveNewestReadyPod, resolvePodSelector } from "./workload-pods.js";

export { ResolveError } from "./errors.js";
export type { LookupDeps } from "./lookup.js";

export interface ResolveDeps extends LookupDeps {
  /** Whether a cluster is configured to look values up in; without one, such cards cannot be planned. */
  readonly cluster: boolean;
}

export interface Resolved {
  readonly values: Readonly<Record<string, string>>;
  readonly lookups: readonly Lookup[];
}

const RESOLVER_TEXT: Readonly<Record<ResolverName, string>> = { "newest-ready-pod": "the newest ready pod", "pod-selector": "the pod selector" };

/**
 * Runs a card's resolvers for the request's workload. Throws ResolveError (with the lookups made so far
 * in `lookups`) when a value cannot be found, and RequestValidationError when the request's name or
 * namespace could not name a workload at all (nothing is looked up then).
 */
export async function resolveCardValues(
  deps: ResolveDeps,
  card: Card,
  target: { namespace?: string | undefined; name?: string | undefined },
  lookups: Lookup[],
): Promise<Resolved> {
  const entries = Object.entries(card.resolve);
  const { namespace, name } = target;
  const issues = [
    ...(namespace === undefined || !isDns1123Label(namespace) ? [{ path: "namespace", message: `must name the ${card.resource}'s namespace (a DNS-1123 label) for card ${card.id}` }] : []),
    ...(name === undefined || !isDns1123Subdomain(name) ? [{ path: "name", message: `must name the ${card.resource} (a DNS-1123 name) for card ${card.id}` }] : []),
  ];
  if (issues.length > 0 || namespace === undefined || name === undefined) throw new RequestValidationError(issues);
  if (!deps.cluster) {
    const what = entries.map(([, resolver]) => RESOLVER_TEXT[resolver]).join(" and ");
    throw new ResolveError(
      "needs_input",
      `card ${card.id} looks up ${what} of ${card.resource}/${name} in ${namespace}, which needs a cluster: run with --kubeconfig (or kube.kubeconfig in the configuration) or --sandbox`,
    );
  }
  const values: Record<string, string> = {};
  for (const [param, resolver] of entries) {
    switch (resolver) {
      case "newest-ready-pod":
        values[param] = await resolveNewestReadyPod(deps, { kind: card.resource, namespace, name }, lookups);
        break;
      case "pod-selector":
        values[param] = await resolvePodSelector(deps, { kind: card.resource, namespace, name }, lookups);
        break;
    }
  }
  return { values, lookups };
}
