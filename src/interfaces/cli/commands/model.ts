import { join } from "node:path";
import { cliConfig, printJson } from "../context.js";
import type { GlobalOptions } from "../options.js";

function progressLine(label: string, percent: number, done: number, total: number): void {
  const mb = (n: number) => (n / 1_048_576).toFixed(1);
  process.stderr.write(`\r${label} ${percent.toFixed(0).padStart(3)}%  ${mb(done)} / ${mb(total)} MiB`);
}

/** `rag-k8s model pull hf:<user>/<repo>/<file>.gguf`: downloads a planner GGUF into the cache (needs internet). */
export async function runModelPull(uri: string, options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const { pullModel } = await import("../../../planner/llm/native.js");
  const path = await pullModel(uri, join(config.retrieval.cacheDir, "models"), {
    onProgress: (p) => progressLine("downloading", p.percent, p.downloadedBytes, p.totalBytes),
  });
  process.stderr.write("\n");
  if (options.json) printJson({ modelPath: path });
  else process.stdout.write(`model saved to ${path}\nuse it with: llm: { provider: llama-cpp, modelPath: ${path} }\n`);
  return 0;
}

/** `rag-k8s model pull-embedder`: downloads all-MiniLM-L6-v2 (transformers.js q8) into the cache (needs internet). */
export async function runPullEmbedder(options: GlobalOptions): Promise<number> {
  const { config } = cliConfig(options);
  const { downloadEmbeddingModel } = await import("../../../retrieval/index.js");
  const model = await downloadEmbeddingModel({
    modelId: config.retrieval.modelId,
    cacheDir: join(config.retrieval.cacheDir, "models"),
    onProgress: (p) => progressLine(p.file, p.percent, p.loaded, p.total),
  });
  process.stderr.write("\n");
  if (options.json) printJson(model);
  else {
    process.stdout.write(
      `embedding model saved to ${model.modelDir}${model.matchesKnownChecksum ? "" : " (checksum differs from the known q8 export)"}\n` +
        "use it with: retrieval: { mode: hybrid }  then: rag-k8s index build\n",
    );
  }
  return 0;
}
