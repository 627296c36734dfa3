import type * as NodeLlamaCpp from "node-llama-cpp";
import { importExternal } from "../../external-import.js";
import { importOptional } from "../../optional-package.js";

let binding: Promise<typeof NodeLlamaCpp> | undefined;

/**
 * node-llama-cpp, imported once on first use. Never imported statically: the package is ESM with top-level await,
 * which require() cannot load, and the CLI bundle is a CommonJS script (V8 caches compiled code only for classic
 * scripts), where esbuild turns a static import into require(). A missing add-on is named with its install command.
 */
export function nodeLlamaCpp(): Promise<typeof NodeLlamaCpp> {
  binding ??= importOptional("node-llama-cpp", () => importExternal<typeof NodeLlamaCpp>("node-llama-cpp"));
  return binding;
}
