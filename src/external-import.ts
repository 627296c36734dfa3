/**
 * import() of a module outside rag-k8s: an optional package, or the kubeconfig loader vendored into dist/. Every
 * such import goes through here. The CLI bundle runs as a classic script from V8's code cache, and on Node 20 a
 * script compiled from cached data cannot call import() (its import callback is lost: "A dynamic import callback
 * was not specified", as v8-compile-cache#30 and corepack#342 found), so the bundle's launcher puts an import()
 * of its own in place of this one (scripts/postbuild.mjs, src/interfaces/cli/code-cache.ts).
 */
export function importExternal<T>(specifier: string): Promise<T> {
  return import(specifier) as Promise<T>;
}
