/** The local embedding model folder is missing or holds no ONNX weights. Callers fall back to lexical retrieval. */
export class EmbeddingModelMissingError extends Error {
  override readonly name = "EmbeddingModelMissingError";
  constructor(
    readonly modelDir: string,
    readonly missing: string,
  ) {
    super(
      `embedding model not found: ${missing} (model directory: ${modelDir}). ` +
        "With internet access run `rag-k8s model pull-embedder`; offline, copy the transformers.js export of " +
        "Xenova/all-MiniLM-L6-v2 there so that it holds config.json, tokenizer.json, tokenizer_config.json and " +
        "onnx/model_quantized.onnx (22,972,370 bytes, sha256 " +
        "afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1). Lexical retrieval works without it.",
    );
  }
}

/** A search had neither query text nor an intent/resource filter, so there is nothing to rank by. */
export class EmptyQueryError extends Error {
  override readonly name = "EmptyQueryError";
  constructor() {
    super("retrieval needs a non-empty query or at least one of the intent/resource filters");
  }
}

/** Semantic or hybrid retrieval was asked for without an embedder to compute query vectors. */
export class EmbedderRequiredError extends Error {
  override readonly name = "EmbedderRequiredError";
  constructor(mode: string) {
    super(`retrieval mode "${mode}" needs an embedder; pass one, or use mode "lexical"`);
  }
}
