import { join } from "node:path";
import { RagK8sError } from "../../../core/errors.js";
import { cliConfig, printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";
import { mebibytes, progressReporter } from "../progress.js";

/** `rag-k8s model pull hf:<user>/<repo>/<file>.gguf`: downloads a planner GGUF into the cache (needs internet). */
export async function runModelPull(uri: string, options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  // The downloader is node-llama-cpp's: a missing add-on is named with its install command.
  const { pullModel } = await import("../../../planner/llm/native.js");
  const progress = progressReporter(process.stderr);
  let path: string;
  try {
    path = await pullModel(uri, join(config.retrieval.cacheDir, "models"), {
      onProgress: (p) => progress.update("downloading", p.percent, mebibytes(p.downloadedBytes, p.totalBytes)),
    });
  } finally {
    progress.end();
  }
  if (options.json) printJson({ modelPath: path });
  else process.stdout.write(`model saved to ${path}\nuse it with: llm: { provider: llama-cpp, modelPath: ${path} }\n`);
  return 0;
}

/** The embedding download fails with whatever the hub client throws (a TypeError when offline): one line that says what to do. */
function embedderDownloadError(modelId: string, error: unknown): RagK8sError {
  const reason = error instanceof Error ? (error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message) : String(error);
  return new RagK8sError(
    "environment",
    `cannot download the embedding model ${modelId}: ${reason.split("\n")[0]}. This needs internet access to huggingface.co; ` +
      "offline, copy the model folder from a machine that has it and set retrieval.modelDir",
  );
}

/** `rag-k8s model pull-embedder`: downloads all-MiniLM-L6-v2 (transformers.js q8) into the cache (needs internet). */
export async function runPullEmbedder(options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const { downloadEmbeddingModel } = await import("../../../retrieval/index.js");
  const progress = progressReporter(process.stderr);
  let model: Awaited<ReturnType<typeof downloadEmbeddingModel>>;
  try {
    model = await downloadEmbeddingModel({
      modelId: config.retrieval.modelId,
      cacheDir: join(config.retrieval.cacheDir, "models"),
      onProgress: (p) => progress.update(p.file, p.percent, mebibytes(p.loaded, p.total)),
    });
  } catch (error) {
    if ((error as { kind?: unknown }).kind === "environment") throw error;
    throw embedderDownloadError(config.retrieval.modelId, error);
  } finally {
    progress.end();
  }
  if (options.json) printJson(model);
  else {
    process.stdout.write(
      `embedding model saved to ${model.modelDir}${model.matchesKnownChecksum ? "" : " (checksum differs from the known q8 export)"}\n` +
        "use it with: retrieval: { mode: hybrid }  then: rag-k8s index build\n",
    );
  }
  return 0;
}
