import { delimiter, isAbsolute, join, resolve } from "node:path";
import { getPath, setPath, type Tree } from "./merge.js";

/** Settings that name files or folders. */
const PATH_FIELDS = ["policy.dir", "audit.path", "retrieval.modelDir", "retrieval.cacheDir", "retrieval.indexDir", "llm.modelPath"];
/** Program settings: a bare name is looked up on PATH, so only values with a "/" are paths. */
const PROGRAM_FIELDS = ["kube.kubectl", "kube.flux"];

function resolveOne(value: string, baseDir: string, home: string): string {
  if (value === "~") return home;
  if (value.startsWith("~/")) return join(home, value.slice(2));
  return isAbsolute(value) ? value : resolve(baseDir, value);
}

/**
 * Makes the path settings of one configuration layer absolute: `~/` is the home folder, relative paths
 * are relative to `baseDir` (the config file's folder for the file, the working folder otherwise).
 * Values of the wrong type are left for schema validation to report.
 */
export function resolveLayerPaths(tree: Tree, baseDir: string, home: string): void {
  for (const path of PATH_FIELDS) {
    const value = getPath(tree, path);
    if (typeof value === "string" && value !== "") setPath(tree, path, resolveOne(value, baseDir, home));
  }
  for (const path of PROGRAM_FIELDS) {
    const value = getPath(tree, path);
    if (typeof value === "string" && (value.includes("/") || value.startsWith("~"))) setPath(tree, path, resolveOne(value, baseDir, home));
  }
  const dirs = getPath(tree, "cards.dirs");
  if (Array.isArray(dirs)) setPath(tree, "cards.dirs", dirs.map((d) => (typeof d === "string" && d !== "" ? resolveOne(d, baseDir, home) : d)));
  // KUBECONFIG may be a list of files, like PATH.
  const kubeconfig = getPath(tree, "kube.kubeconfig");
  if (typeof kubeconfig === "string" && kubeconfig !== "") {
    const parts = kubeconfig.split(delimiter).map((p) => (p === "" ? p : resolveOne(p, baseDir, home)));
    setPath(tree, "kube.kubeconfig", parts.join(delimiter));
  }
}
