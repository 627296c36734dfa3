import { createHash } from "node:crypto";
import { closeSync, existsSync, fstatSync, openSync, readSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type * as Transformers from "@huggingface/transformers";
import type { FeatureExtractionPipeline } from "@huggingface/transformers";
import { importExternal } from "../external-import.js";
import { importOptional } from "../optional-package.js";
import { EmbeddingModelMissingError } from "./errors.js";

export interface Embedder {
  /** Identifies model and weights; a persisted vector index is only reused under the same id. */
  readonly id: string;
  readonly dimension: number;
  /** One L2-normalized vector per text, in input order. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export type EmbeddingDtype = "q8" | "fp32";

export interface TransformersEmbedderOptions {
  /** Local transformers.js model folder (config.json, tokenizer files, onnx/model*.onnx). */
  readonly modelDir: string;
  /** Default: q8 when onnx/model_quantized.onnx exists, else fp32. */
  readonly dtype?: EmbeddingDtype;
  /** Texts per forward pass when embedding many (index builds). */
  readonly batchSize?: number;
}

const ONNX_FILE: Record<EmbeddingDtype, string> = { q8: "model_quantized.onnx", fp32: "model.onnx" };
const REQUIRED_FILES = ["config.json", "tokenizer.json", "tokenizer_config.json"];
/** Bytes hashed from each end of the weights file for the embedder id (see weightsFingerprint). */
const FINGERPRINT_BYTES = 1 << 20;

/** Mean-pooled, L2-normalized sentence embeddings from a local ONNX model via @huggingface/transformers. */
export class TransformersEmbedder implements Embedder {
  private constructor(
    readonly id: string,
    readonly dimension: number,
    private readonly extractor: FeatureExtractionPipeline,
    private readonly batchSize: number,
  ) {}

  /**
   * Loads the model from a local folder with remote loading switched off.
   * @throws EmbeddingModelMissingError when the folder, its tokenizer files or the ONNX weights are missing.
   */
  static async load(options: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const modelDir = resolve(options.modelDir);
    const dtype = options.dtype ?? (existsSync(join(modelDir, "onnx", ONNX_FILE.q8)) ? "q8" : "fp32");
    for (const file of [...REQUIRED_FILES, join("onnx", ONNX_FILE[dtype])]) {
      if (!existsSync(join(modelDir, file))) throw new EmbeddingModelMissingError(modelDir, file);
    }
    // Imported here so that lexical-only use never pays for loading onnxruntime.
    const { pipeline, env } = await importOptional("@huggingface/transformers", () => importExternal<typeof Transformers>("@huggingface/transformers"));
    env.allowRemoteModels = false;
    const extractor = await pipeline("feature-extraction", modelDir, { dtype, local_files_only: true });
    const probe = await extractor(["probe"], { pooling: "mean", normalize: true });
    const dimension = probe.dims.at(-1);
    if (dimension === undefined) throw new Error(`model in ${modelDir} returned no embedding dimension`);
    const fingerprint = weightsFingerprint(join(modelDir, "onnx", ONNX_FILE[dtype]));
    return new TransformersEmbedder(
      `minilm:${basename(modelDir)}@${dtype}-${fingerprint}`,
      dimension,
      extractor,
      options.batchSize ?? 32,
    );
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      const batch = texts.slice(start, start + this.batchSize);
      const tensor = await this.extractor(batch, { pooling: "mean", normalize: true });
      const data = tensor.data as Float32Array;
      for (let i = 0; i < batch.length; i++) {
        out.push(data.slice(i * this.dimension, (i + 1) * this.dimension));
      }
    }
    return out;
  }

  async dispose(): Promise<void> {
    await this.extractor.dispose();
  }
}

/**
 * Size plus sha256 of the first and last MiB of the weights: distinguishes any two exports in practice and
 * costs ~2 ms, where hashing the whole 23–90 MB file would add 50–200 ms to every start.
 */
function weightsFingerprint(path: string): string {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const hash = createHash("sha256").update(String(size));
    const chunk = Buffer.alloc(Math.min(FINGERPRINT_BYTES, size));
    readSync(fd, chunk, 0, chunk.length, 0);
    hash.update(chunk);
    readSync(fd, chunk, 0, chunk.length, Math.max(0, size - chunk.length));
    hash.update(chunk);
    return hash.digest("hex").slice(0, 12);
  } finally {
    closeSync(fd);
  }
}
