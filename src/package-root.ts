import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/**
 * The folder holding rag-k8s's package.json, found by walking up from this module, so bundled cards, policy
 * and fixtures are found the same way from src/ under tsx and from dist/ once built or installed.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === "rag-k8s") {
      return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the rag-k8s package root (package.json) above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}
