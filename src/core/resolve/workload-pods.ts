import type { Resource } from "../../cards/vocabulary.js";
import { ROLLOUT_KINDS } from "../../kube/index.js";
import type { Lookup } from "../response.js";
import { ResolveError } from "./errors.js";
import { runLookup } from "./lookup.js";
import type { LookupDeps } from "./lookup.js";
import { POD_COLUMNS, describePods, newestReadyPod, parsePodRows } from "./pods.js";
import { SelectorError, selectorString } from "./selector.js";

export interface WorkloadRef {
  readonly kind: Resource;
  readonly namespace: string;
  readonly name: string;
}

/** The `-l` selector of a workload's pods, from its `.spec.selector`: one read-only lookup. */
export async function resolvePodSelector(deps: LookupDeps, workload: WorkloadRef, records: Lookup[]): Promise<string> {
  const { kind, namespace, name } = workload;
  if (!ROLLOUT_KINDS.has(kind)) throw new ResolveError("failed", `pods are found through the selector of deployments, statefulsets and daemonsets, not of ${kind}s`);
  const selectorJson = await runLookup(deps, ["kubectl", "get", kind, name, "-n", namespace, "-o", "jsonpath={.spec.selector}"], namespace, records);
  try {
    return selectorString(JSON.parse(selectorJson) as unknown);
  } catch (error) {
    if (error instanceof SelectorError) throw new ResolveError("failed", `${kind}/${name} in ${namespace}: ${error.message}`);
    throw new ResolveError("failed", `${kind}/${name} in ${namespace}: the API returned a selector that is not JSON`);
  }
}

/**
 * The newest ready pod of a workload: its selector from the API, its pods by that selector, then the
 * newest Ready one that is not being deleted. Two read-only lookups.
 */
export async function resolveNewestReadyPod(deps: LookupDeps, workload: WorkloadRef, records: Lookup[]): Promise<string> {
  const { kind, namespace, name } = workload;
  const selector = await resolvePodSelector(deps, workload, records);
  const listing = await runLookup(
    deps,
    ["kubectl", "get", "pods", "-n", namespace, "-l", selector, "--no-headers", `-o=custom-columns=${POD_COLUMNS}`],
    namespace,
    records,
  );
  const rows = parsePodRows(listing);
  const pod = newestReadyPod(rows);
  if (pod) return pod.name;
  if (rows.length === 0) throw new ResolveError("needs_input", `${kind}/${name} in ${namespace} has no pods (selector ${selector}), so there are no logs to read`);
  throw new ResolveError(
    "needs_input",
    `${kind}/${name} in ${namespace} has no ready pod: ${describePods(rows)}. To read a pod that is not ready, ask for the logs of that pod (resource pod, name POD; previous: true for a crashed container)`,
  );
}
