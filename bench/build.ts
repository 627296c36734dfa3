import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoPath } from "./workspace.js";

/** The bundled CLI, what the package's `rag-k8s` bin runs. */
export const CLI_ENTRY = repoPath("dist", "cli", "main.js");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export interface BuildOutcome {
  /** null when dist was up to date and nothing ran. */
  readonly ms: number | null;
  /** tsc's complaints when it exited non-zero but still emitted (type errors elsewhere in the tree). */
  readonly problems: string | null;
}

/** Builds dist/ (tsc, then the CLI bundle) when it is missing or older than any file under src/, as `npm run build` does. */
export function ensureBuilt(): BuildOutcome {
  if (existsSync(CLI_ENTRY) && statSync(CLI_ENTRY).mtimeMs >= newestMtime(repoPath("src"))) return { ms: null, problems: null };
  const start = performance.now();
  const tsc = spawnSync(process.execPath, [repoPath("node_modules", "typescript", "bin", "tsc"), "-p", repoPath("tsconfig.build.json")], {
    encoding: "utf8",
  });
  const postbuild = spawnSync(process.execPath, [repoPath("scripts", "postbuild.mjs")], { encoding: "utf8" });
  const ms = performance.now() - start;
  if (!existsSync(CLI_ENTRY) || postbuild.status !== 0) {
    throw new Error(`npm run build produced no ${CLI_ENTRY}:\n${tsc.stdout}${tsc.stderr}${postbuild.stdout}${postbuild.stderr}`);
  }
  return { ms, problems: tsc.status === 0 ? null : `${tsc.stdout}${tsc.stderr}`.trim() };
}
