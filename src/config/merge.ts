export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

export type Tree = Record<string, unknown>;

export function isTree(value: unknown): value is Tree {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Layers later trees over earlier ones: objects merge key by key, anything else (lists too) replaces; undefined is skipped. */
export function deepMerge(...trees: Tree[]): Tree {
  const out: Tree = {};
  for (const tree of trees) {
    for (const [key, value] of Object.entries(tree)) {
      if (value === undefined) continue;
      const prev = out[key];
      out[key] = isTree(value) ? deepMerge(isTree(prev) ? prev : {}, value) : value;
    }
  }
  return out;
}

export function getPath(tree: unknown, path: string): unknown {
  let node = tree;
  for (const key of path.split(".")) {
    if (!isTree(node)) return undefined;
    node = node[key];
  }
  return node;
}

export function setPath(tree: Tree, path: string, value: unknown): void {
  const keys = path.split(".");
  const last = keys.pop() as string;
  let node = tree;
  for (const key of keys) {
    const next = node[key];
    node = isTree(next) ? next : (node[key] = {});
  }
  node[last] = value;
}

/** "a.b.c", "a.b", "a": a path and its parents, nearest first. */
export function* selfAndParents(path: string): Generator<string> {
  for (let key = path; key !== ""; key = key.includes(".") ? key.slice(0, key.lastIndexOf(".")) : "") yield key;
}

/** True when `tree` sets `path`, or a parent of it to something that is not an object (a list, a scalar). */
export function setsPath(tree: Tree, path: string): boolean {
  for (const key of selfAndParents(path)) {
    const value = getPath(tree, key);
    if (value !== undefined) return key === path || !isTree(value);
  }
  return false;
}
