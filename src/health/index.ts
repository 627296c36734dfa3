import { z } from "zod";
import { isDns1123Label } from "../kube/index.js";
import { analyzeFlux, analyzeNodes, analyzePvcs } from "./analyzers/cluster.js";
import { analyzeWarningEvents } from "./analyzers/events.js";
import { analyzePods } from "./analyzers/pods.js";
import { analyzeDaemonSets, analyzeDeployments, analyzeJobs, analyzeStatefulSets } from "./analyzers/workloads.js";
import { addList, emptyInventory } from "./objects.js";
import type { Inventory } from "./objects.js";
import { renderFinding, renderHealth } from "./render.js";
import { quote, safeRef } from "./text.js";
import { countTokens } from "../tokens.js";
import type { Finding, HealthReport, NextOperation, ReadFn, Severity, SourceProblem } from "./types.js";
import { SEVERITIES } from "./types.js";

export type { Finding, HealthReport, NextOperation, NextRequest, ObjectRef, ReadFn, Severity, SourceProblem } from "./types.js";
export { renderHealth } from "./render.js";
export { HealthReportSchema } from "./schema.js";

export const DiagnoseOptionsSchema = z
  .object({
    namespace: z.string().refine(isDns1123Label, "must be a DNS-1123 label").optional(),
    allNamespaces: z.boolean().default(false),
    budgetTokens: z.number().int().min(300).max(100_000).default(2000),
    /** Whether the flux CLI is installed: its cards are then the ones the pipeline picks. */
    flux: z.boolean().default(false),
  })
  .strict()
  .refine((o) => (o.namespace === undefined) === o.allNamespaces, "give either namespace or allNamespaces: true");
export type DiagnoseOptionsInput = z.input<typeof DiagnoseOptionsSchema>;

export interface DiagnoseHooks {
  /**
   * The policy's decision for a fix (plan it without running it). Fixes the policy denies are left out;
   * without this hook fixes are offered with changesCluster: true and no decision.
   */
  readonly decide?: (op: NextOperation) => Promise<"allow" | "confirm" | "deny">;
}

export class HealthOptionsError extends Error {
  constructor(message: string) {
    super(`invalid health options: ${message}`);
    this.name = "HealthOptionsError";
  }
}

interface Source {
  readonly name: string;
  readonly argv: string[];
  /** Kinds a cluster may not serve at all (CRDs, and PVCs in a minimal API server): then there is nothing to check. */
  readonly optional: boolean;
}

const NOT_SERVED = /doesn't have a resource type|could not find the requested resource|no matches for kind/i;

/**
 * Six list calls at most however large the cluster, never one per object. Nodes get their own call: the
 * policy refuses a command that mixes cluster-scoped and namespaced kinds.
 */
function sources(scope: string[], allNamespaces: boolean): Source[] {
  const list = (name: string, what: string, optional: boolean, ...extra: string[]): Source => ({ name, argv: ["kubectl", "get", what, ...extra, "-o", "json", ...scope], optional });
  return [
    list("workloads", "pods,deployments,statefulsets,daemonsets,jobs", false),
    list("warning events", "events", false, "--field-selector", "type=Warning"),
    list("persistentvolumeclaims", "persistentvolumeclaims", true),
    list("kustomizations", "kustomizations.kustomize.toolkit.fluxcd.io", true),
    list("helmreleases", "helmreleases.helm.toolkit.fluxcd.io", true),
    ...(allNamespaces ? [{ name: "nodes", argv: ["kubectl", "get", "nodes", "-o", "json"], optional: false }] : []),
  ];
}

async function readAll(read: ReadFn, all: readonly Source[]): Promise<{ inventory: Inventory; unavailable: SourceProblem[]; notServed: string[] }> {
  const inventory = emptyInventory();
  const unavailable: SourceProblem[] = [];
  const notServed: string[] = [];
  const answers = await Promise.all(
    all.map(async (source) => {
      try {
        return { source, answer: await read(source.argv) };
      } catch (error) {
        return { source, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  // Added in a fixed order, whatever order the calls finished in.
  for (const result of answers) {
    const { source } = result;
    if ("error" in result) {
      unavailable.push({ source: source.name, reason: quote(result.error) });
      continue;
    }
    const { code, stdout, stderr } = result.answer;
    if (code !== 0) {
      if (source.optional && NOT_SERVED.test(stderr)) notServed.push(source.name);
      else unavailable.push({ source: source.name, reason: quote(stderr.trim().split("\n", 1)[0] || `exit ${code ?? "signal"}`) });
      continue;
    }
    if (!addList(inventory, stdout)) unavailable.push({ source: source.name, reason: "the answer was not a complete JSON list (too large for the read window?)" });
  }
  return { inventory, unavailable, notServed };
}

const KIND_ORDER: Record<string, number> = { Node: 0, Deployment: 1, StatefulSet: 1, DaemonSet: 1, Pod: 2, Job: 3, PersistentVolumeClaim: 4, Kustomization: 5, HelmRelease: 5 };

function bySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
    (KIND_ORDER[a.object.kind] ?? 9) - (KIND_ORDER[b.object.kind] ?? 9) ||
    (a.object.namespace ?? "").localeCompare(b.object.namespace ?? "") ||
    a.object.name.localeCompare(b.object.name)
  );
}

const key = (kind: string, namespace: string | undefined, name: string): string => `${kind}/${namespace ?? ""}/${name}`;

function analyze(inv: Inventory, flux: boolean): Finding[] {
  const pods = analyzePods(inv.pods);
  const findings = [
    ...analyzeNodes(inv.nodes),
    ...analyzeDeployments(inv.deployments),
    ...analyzeStatefulSets(inv.statefulsets),
    ...analyzeDaemonSets(inv.daemonsets),
    ...pods.findings,
    ...analyzeJobs(inv.jobs, inv.pods),
    ...analyzePvcs(inv.pvcs),
    ...analyzeFlux(inv.flux, { flux }),
  ];
  const reported = new Set([...pods.covered, ...findings.map((f) => key(f.object.kind, f.object.namespace, f.object.name))]);
  // A failed job's pods are its story; their warning events need no findings of their own.
  for (const p of inv.pods) if (p.metadata.ownerReferences?.some((o) => o.kind === "Job" && reported.has(key("Job", p.metadata.namespace, o.name)))) reported.add(key("Pod", p.metadata.namespace, p.metadata.name));
  return [...findings, ...analyzeWarningEvents(inv.events, reported)].map((f) => ({ ...f, object: safeRef(f.object) })).sort(bySeverity);
}

async function withDecisions(findings: Finding[], decide: DiagnoseHooks["decide"]): Promise<Finding[]> {
  if (!decide) return findings;
  return Promise.all(
    findings.map(async (f) => {
      if (!f.fix) return f;
      const decision = await decide(f.fix);
      const { fix, ...rest } = f;
      return decision === "deny" ? rest : { ...rest, fix: { ...fix, decision } };
    }),
  );
}

const tally = (findings: readonly Finding[]): Record<Severity, number> => {
  const out: Record<Severity, number> = { critical: 0, warning: 0, info: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
};

/** Tokens of the larger rendering: whichever a client shows its model, it fits the budget. */
function reportTokens(report: HealthReport): number {
  return Math.max(countTokens(renderHealth(report)), countTokens(JSON.stringify(report)));
}

/** Keeps the most severe findings that fit, in order; the first that does not fit ends the list. */
function fitBudget(all: Finding[], base: Omit<HealthReport, "findings" | "omitted" | "tokens">): HealthReport {
  const budget = base.budgetTokens;
  const build = (n: number, tokens = budget): HealthReport => {
    const shown = all.slice(0, n);
    const omittedAll = tally(all.slice(n));
    return { ...base, findings: shown, omitted: omittedAll, tokens };
  };
  // Estimate from each finding's own size, then confirm on the whole text and trim if tokenization across joins disagrees.
  const envelope = reportTokens(build(0));
  let text = countTokens(renderHealth(build(0)));
  let json = countTokens(JSON.stringify(build(0)));
  let n = 0;
  if (envelope <= budget) {
    for (const f of all) {
      const nextText = text + countTokens(renderFinding(f)) + 1;
      const nextJson = json + countTokens(JSON.stringify(f)) + 1;
      if (Math.max(nextText, nextJson) > budget) break;
      [text, json, n] = [nextText, nextJson, n + 1];
    }
  }
  let report = build(n);
  let tokens = reportTokens(report);
  while (tokens > budget && n > 0) {
    report = build(--n);
    tokens = reportTokens(report);
  }
  return { ...report, tokens };
}

/**
 * What is wrong in a namespace or the whole cluster, read with a handful of list calls (never one per
 * object) and answered within a token budget: findings most severe first, each with its evidence and the
 * next operation rag-k8s can run for it. `read` must run only policy-checked, read-only kubectl calls.
 */
export async function diagnose(read: ReadFn, options: DiagnoseOptionsInput, hooks: DiagnoseHooks = {}): Promise<HealthReport> {
  const parsed = DiagnoseOptionsSchema.safeParse(options);
  if (!parsed.success) throw new HealthOptionsError(parsed.error.issues.map((i) => `${i.path.join(".") || "options"}: ${i.message}`).join("; "));
  const { namespace, allNamespaces, budgetTokens, flux } = parsed.data;
  const scope = namespace ? ["-n", namespace] : ["-A"];
  const { inventory, unavailable, notServed } = await readAll(read, sources(scope, allNamespaces));
  const findings = await withDecisions(analyze(inventory, flux), hooks.decide);
  const checked: Record<string, number> = {
    pods: inventory.pods.length,
    deployments: inventory.deployments.length,
    statefulsets: inventory.statefulsets.length,
    daemonsets: inventory.daemonsets.length,
    jobs: inventory.jobs.length,
    ...(allNamespaces ? { nodes: inventory.nodes.length } : {}),
    persistentvolumeclaims: inventory.pvcs.length,
    "flux objects": inventory.flux.length,
    "warning events": inventory.events.length,
    ...(inventory.unreadable > 0 ? { "unreadable objects": inventory.unreadable } : {}),
  };
  return fitBudget(findings, {
    scope: namespace ? `namespace ${namespace}` : "all namespaces",
    checked,
    totals: tally(findings),
    unavailable,
    notServed,
    budgetTokens,
  });
}
