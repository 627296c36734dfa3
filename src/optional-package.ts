import { createRequire } from "node:module";

/**
 * The add-ons that only optional features need. They are peer dependencies marked optional, so the base install
 * carries no native build and no large download; a setting that needs one loads it here, on first use.
 */
export const OPTIONAL_PACKAGES = {
  "node-llama-cpp": { range: "^3.22.1", feature: "a local GGUF planner model (llm.provider: llama-cpp)" },
  "@huggingface/transformers": { range: "^4.3.1", feature: "semantic retrieval with MiniLM embeddings" },
  "hnswlib-node": { range: "^3.0.0", feature: "approximate vector search over large card indexes" },
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** An optional add-on a setting needs is not installed. Its message says exactly what to install. */
export class OptionalPackageMissingError extends Error {
  override readonly name = "OptionalPackageMissingError";
  readonly kind = "environment" as const;
  constructor(
    readonly packageName: OptionalPackage,
    cause?: unknown,
  ) {
    const { range, feature } = OPTIONAL_PACKAGES[packageName];
    super(
      `${feature} needs the optional package ${packageName}, which is not installed. ` +
        `Install it next to rag-k8s: npm install ${packageName}@"${range}" ` +
        `(for a global install: npm install -g ${packageName}@"${range}").`,
      cause === undefined ? undefined : { cause },
    );
  }
}

function isMissingModule(error: unknown, packageName: string): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as NodeJS.ErrnoException).code;
  // A missing dependency *of* the package is a broken install, not a missing add-on: only its own name counts.
  return (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") && error.message.includes(`'${packageName}`);
}

/** `import(packageName)` that turns "not installed" into OptionalPackageMissingError; other failures pass through. */
export async function importOptional<T>(packageName: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw isMissingModule(error, packageName) ? new OptionalPackageMissingError(packageName, error) : error;
  }
}

/** The CommonJS form, for native addons loaded synchronously. */
export function requireOptional<T>(packageName: OptionalPackage, from: string): T {
  try {
    return createRequire(from)(packageName) as T;
  } catch (error) {
    throw isMissingModule(error, packageName) ? new OptionalPackageMissingError(packageName, error) : error;
  }
}
