import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { relative } from "node:path";
import { formatNumber } from "./report.js";
import { REPO_ROOT } from "./workspace.js";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Where a frame's code lives, coarsely: an npm package, a src/ module, Node internals, or native work. */
function group(frame: ProfileNode["callFrame"]): string {
  if (frame.url === "") {
    if (frame.functionName === "(garbage collector)") return "garbage collection";
    if (frame.functionName === "(idle)") return "idle";
    return `native ${frame.functionName || "(anonymous)"}`;
  }
  if (frame.url.startsWith("node:")) return frame.url.startsWith("node:internal/modules") ? "Node module loader" : "Node internals";
  const path = frame.url.startsWith("file:") ? relative(REPO_ROOT, fileURLToPath(frame.url)) : frame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return `npm ${pkg[1]}`;
  const module = /^(?:dist|src)\/([^/]+)/.exec(path);
  return module ? `rag-k8s ${module[1]}` : path;
}

function load(profilePath: string): { profile: CpuProfile; byId: Map<number, ProfileNode>; total: number } {
  const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
  const total = profile.timeDeltas.reduce((sum, micros) => sum + micros, 0);
  return { profile, byId: new Map(profile.nodes.map((node) => [node.id, node])), total };
}

function heaviest(totals: Map<string, number>, all: number, count: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${key} ${formatNumber(micros / 1000)} ms (${Math.round((100 * micros) / all)}%)`);
}

/** The heaviest groups by self time in a V8 .cpuprofile, as "group 123 ms (20%)" items; "idle" is time spent waiting. */
export function topSelfTime(profilePath: string, count = 6): string[] {
  const { profile, byId, total } = load(profilePath);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const key = node ? group(node.callFrame) : "unknown";
    if (key === "native (program)") return;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return heaviest(totals, total, count);
}

/** The heaviest rag-k8s functions by self time, as "module/function 12 ms (3%)" items. */
export function topOwnFunctions(profilePath: string, count = 5): string[] {
  const { profile, byId, total } = load(profilePath);
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const where = group(node.callFrame);
    if (!where.startsWith("rag-k8s ")) return;
    const key = `${where.slice("rag-k8s ".length)}/${node.callFrame.functionName || "(anonymous)"}`;
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return heaviest(totals, total, count);
}
