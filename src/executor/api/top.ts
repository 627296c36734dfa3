import { call, DECLINE, json, ok, query, type CommandContext, type CommandOutput, type Planned } from "./command.js";
import { flagSet, isPathSafeName, parseFlags } from "./flags.js";
import { goSort } from "./gosort.js";
import { milliValue, parseQuantity, unitValue } from "./quantity.js";
import { alignColumns } from "./tabwriter.js";

const METRICS = "/apis/metrics.k8s.io/v1beta1";
const MI = 1024n * 1024n;

interface Usage {
  cpu?: string;
  memory?: string;
}
interface PodMetrics {
  metadata?: { name?: string; namespace?: string };
  containers?: { usage?: Usage }[];
}
interface NodeMetrics {
  metadata?: { name?: string };
  usage?: Usage;
}

/** CPU in milli-cores and memory in bytes; undefined if a quantity does not parse. */
interface Measured {
  name: string;
  namespace: string;
  cpu: bigint;
  memory: bigint;
}

function measure(usages: readonly Usage[]): { cpu: bigint; memory: bigint } | undefined {
  let cpu = 0n;
  let memory = 0n;
  for (const u of usages) {
    const c = parseQuantity(u.cpu ?? "0");
    const m = parseQuantity(u.memory ?? "0");
    if (c === undefined || m === undefined) return undefined;
    cpu += c;
    memory += m;
  }
  return { cpu: milliValue(cpu), memory: unitValue(memory) };
}

/** kubectl top's sorters: `cpu` and `memory` descending; otherwise the server's order is kept. */
function sortMeasured(rows: Measured[], sortBy: string | undefined): void {
  if (sortBy === "cpu") goSort(rows, (a, b) => a.cpu > b.cpu);
  else if (sortBy === "memory") goSort(rows, (a, b) => a.memory > b.memory);
}

/** kubectl top pads every cell, the last one too (each line ends with a tab before the tabwriter). */
const padded = (rows: string[][]): string => alignColumns(rows.map((r) => [...r, ""]));

/** `kubectl top pod [NAME] [-n NS | -A] [-l SEL] [--sort-by=cpu|memory]`. */
export function planTopPods(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { "all-namespaces": "bool", selector: "value", "sort-by": "value" }, short: { A: "all-namespaces", l: "selector" } });
  if (!p || p.positionals.length > 1) return undefined;
  const sortBy = p.flags.get("sort-by");
  if (sortBy !== undefined && sortBy !== "cpu" && sortBy !== "memory") return undefined;
  const [name] = p.positionals;
  const all = flagSet(p, "all-namespaces");
  const selector = p.flags.get("selector");
  if (name !== undefined && (all || selector !== undefined || !isPathSafeName(name))) return undefined;
  return async (ctx) => {
    const namespace = p.flags.get("namespace") ?? ctx.defaultNamespace;
    const scope = all ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
    const path = `${METRICS}${scope}/pods${name === undefined ? query({ labelSelector: selector }) : `/${encodeURIComponent(name)}`}`;
    const res = await call(ctx, { method: "GET", path });
    if (res.status !== 200) return DECLINE;
    const body = json(res.body) as { items?: PodMetrics[] } & PodMetrics;
    const items = name === undefined ? body.items : [body];
    if (!items) return DECLINE;
    if (items.length === 0) return noPods(ctx, all ? undefined : namespace, selector);
    const rows: Measured[] = [];
    for (const m of items) {
      const measured = measure((m.containers ?? []).map((c) => c.usage ?? {}));
      if (!measured) return DECLINE;
      rows.push({ name: m.metadata?.name ?? "", namespace: m.metadata?.namespace ?? "", ...measured });
    }
    sortMeasured(rows, sortBy);
    const header = [...(all ? ["NAMESPACE"] : []), "NAME", "CPU(cores)", "MEMORY(bytes)"];
    const lines = rows.map((r) => [...(all ? [r.namespace] : []), r.name, `${r.cpu}m`, `${r.memory / MI}Mi`]);
    return ok(padded([header, ...lines]));
  };
}

/** No metrics: kubectl checks for pods; none means "No resources found", pods without metrics are kubectl's error. */
async function noPods(ctx: CommandContext, namespace: string | undefined, selector: string | undefined): Promise<CommandOutput | typeof DECLINE> {
  const scope = namespace === undefined ? "" : `/namespaces/${encodeURIComponent(namespace)}`;
  const res = await call(ctx, { method: "GET", path: `/api/v1${scope}/pods${query({ labelSelector: selector })}` });
  const pods = res.status === 200 ? (json(res.body) as { items?: unknown[] }).items : undefined;
  if (!pods || pods.length > 0) return DECLINE;
  return ok("", namespace === undefined ? "No resources found\n" : `No resources found in ${namespace} namespace.\n`);
}

/** `kubectl top node [NAME] [-l SEL] [--sort-by=cpu|memory]`: usage and its share of each node's allocatable. */
export function planTopNodes(args: readonly string[]): Planned | undefined {
  const p = parseFlags(args, { long: { selector: "value", "sort-by": "value" }, short: { l: "selector" } });
  if (!p || p.positionals.length > 1 || p.flags.has("namespace")) return undefined;
  const sortBy = p.flags.get("sort-by");
  if (sortBy !== undefined && sortBy !== "cpu" && sortBy !== "memory") return undefined;
  const [name] = p.positionals;
  const selector = p.flags.get("selector");
  if (name !== undefined && (selector !== undefined || !isPathSafeName(name))) return undefined;
  return async (ctx) => {
    const suffix = name === undefined ? query({ labelSelector: selector }) : `/${encodeURIComponent(name)}`;
    const res = await call(ctx, { method: "GET", path: `${METRICS}/nodes${suffix}` });
    if (res.status !== 200) return DECLINE;
    const body = json(res.body) as { items?: NodeMetrics[] } & NodeMetrics;
    const items = name === undefined ? body.items : [body];
    const nodesRes = await call(ctx, { method: "GET", path: `/api/v1/nodes${suffix}` });
    if (!items || items.length === 0 || nodesRes.status !== 200) return DECLINE;
    const nodesBody = json(nodesRes.body) as { items?: NodeInfo[] } & NodeInfo;
    const nodes = name === undefined ? (nodesBody.items ?? []) : [nodesBody];
    const allocatable = new Map(nodes.map((n) => [n.metadata?.name ?? "", n.status?.allocatable ?? {}]));
    const rows: (Measured & { cpuTotal: bigint; memoryTotal: bigint })[] = [];
    for (const m of items) {
      const nodeName = m.metadata?.name ?? "";
      const measured = measure([m.usage ?? {}]);
      const total = allocatable.has(nodeName) ? measure([allocatable.get(nodeName) as Usage]) : undefined;
      // Nodes without metrics or allocatable get kubectl's "<unknown>" rows: left to kubectl.
      if (!measured || !total || total.cpu === 0n || total.memory === 0n) return DECLINE;
      rows.push({ name: nodeName, namespace: "", ...measured, cpuTotal: total.cpu, memoryTotal: total.memory });
    }
    if (name === undefined && rows.length !== nodes.length) return DECLINE;
    sortMeasured(rows, sortBy);
    const header = ["NAME", "CPU(cores)", "CPU%", "MEMORY(bytes)", "MEMORY%"];
    const lines = rows.map((r) => [r.name, `${r.cpu}m`, `${(r.cpu * 100n) / r.cpuTotal}%`, `${r.memory / MI}Mi`, `${(r.memory * 100n) / r.memoryTotal}%`]);
    return ok(padded([header, ...lines]));
  };
}

interface NodeInfo {
  metadata?: { name?: string };
  status?: { allocatable?: Usage };
}
