import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { join, resolve } from "node:path";
import type * as Transformers from "@huggingface/transformers";
import type { ProgressInfo } from "@huggingface/transformers";
import { importExternal } from "../external-import.js";
import { importOptional } from "../optional-package.js";

export const DEFAULT_EMBEDDING_MODEL_ID = "Xenova/all-MiniLM-L6-v2";
/** sha256 of Xenova/all-MiniLM-L6-v2 onnx/model_quantized.onnx as published (../shared/models/all-MiniLM-L6-v2/SOURCE.md). */
export const KNOWN_Q8_SHA256 = "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1";

export interface DownloadProgress {
  readonly file: string;
  readonly loaded: number;
  readonly total: number;
  /** 0–100 */
  readonly percent: number;
}

export interface DownloadEmbeddingModelOptions {
  readonly modelId?: string;
  /** Files land in `<cacheDir>/<modelId>/`, the folder to pass to TransformersEmbedder.load afterwards. */
  readonly cacheDir: string;
  readonly onProgress?: (progress: DownloadProgress) => void;
}

export interface DownloadedModel {
  readonly modelDir: string;
  readonly sha256: string;
  /** Whether the q8 weights are the ones published for Xenova/all-MiniLM-L6-v2 (only checked for that id). */
  readonly matchesKnownChecksum: boolean | undefined;
}

/**
 * Fetches the q8 transformers.js export from the Hugging Face Hub: the one place remote loading is switched on,
 * and only for the duration of this call. Needs internet access; everything else in rag-k8s runs offline.
 */
export async function downloadEmbeddingModel(options: DownloadEmbeddingModelOptions): Promise<DownloadedModel> {
  const modelId = options.modelId ?? DEFAULT_EMBEDDING_MODEL_ID;
  const cacheDir = resolve(options.cacheDir);
  const { pipeline, env } = await importOptional("@huggingface/transformers", () => importExternal<typeof Transformers>("@huggingface/transformers"));
  const previous = { allowRemoteModels: env.allowRemoteModels, cacheDir: env.cacheDir };
  env.allowRemoteModels = true;
  env.cacheDir = cacheDir;
  try {
    const extractor = await pipeline("feature-extraction", modelId, {
      dtype: "q8",
      cache_dir: cacheDir,
      progress_callback: (info: ProgressInfo) => {
        if (info.status === "progress") {
          options.onProgress?.({ file: info.file, loaded: info.loaded, total: info.total, percent: info.progress });
        }
      },
    });
    await extractor.dispose();
  } finally {
    env.allowRemoteModels = previous.allowRemoteModels;
    env.cacheDir = previous.cacheDir;
  }
  const modelDir = join(cacheDir, modelId);
  const sha256 = await sha256File(join(modelDir, "onnx", "model_quantized.onnx"));
  return {
    modelDir,
    sha256,
    matchesKnownChecksum: modelId === DEFAULT_EMBEDDING_MODEL_ID ? sha256 === KNOWN_Q8_SHA256 : undefined,
  };
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
