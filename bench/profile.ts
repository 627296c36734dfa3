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
  if (frame.url === "") return frame.functionName === "(garbage collector)" ? "garbage collection" : `native ${frame.functionName || "(anonymous)"}`;
  if (frame.url.startsWith("node:")) return frame.url.startsWith("node:internal/modules") ? "Node module loader" : "Node internals";
  const path = frame.url.startsWith("file:") ? relative(REPO_ROOT, fileURLToPath(frame.url)) : frame.url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return `npm ${pkg[1]}`;
  const module = /^(?:dist|src)\/([^/]+)/.exec(path);
  return module ? `rag-k8s ${module[1]}` : path;
}

/** The heaviest groups by self time in a V8 .cpuprofile, as "group 123 ms (20%)" items. */
export function topSelfTime(profilePath: string, count = 6): string[] {
  const profile = JSON.parse(readFileSync(profilePath, "utf8")) as CpuProfile;
  const groupOf = new Map(profile.nodes.map((node) => [node.id, group(node.callFrame)]));
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    all += micros;
    const key = groupOf.get(id) ?? "unknown";
    totals.set(key, (totals.get(key) ?? 0) + micros);
  });
  return [...totals]
    .filter(([key]) => key !== "native (idle)" && key !== "native (program)")
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, micros]) => `${key} ${formatNumber(micros / 1000)} ms (${Math.round((100 * micros) / all)}%)`);
}
