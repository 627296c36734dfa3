export { createRetriever } from "./retriever.js";
export type {
  CreateRetrieverOptions,
  IndexBuildProgress,
  RetrievalHit,
  RetrievalMode,
  Retriever,
  SearchOptions,
} from "./retriever.js";
export { TransformersEmbedder } from "./embedder.js";
export type { EmbeddingDtype, Embedder, TransformersEmbedderOptions } from "./embedder.js";
export { DEFAULT_EMBEDDING_MODEL_ID, downloadEmbeddingModel } from "./model-download.js";
export type { DownloadEmbeddingModelOptions, DownloadProgress, DownloadedModel } from "./model-download.js";
export { EmbedderRequiredError, EmbeddingModelMissingError, EmptyQueryError } from "./errors.js";
export { renderContext } from "./context.js";
export type { RenderContextOptions, RenderedContext } from "./context.js";
export { DEFAULT_FUSION } from "./fusion.js";
export type { FusionOptions } from "./fusion.js";
export { LexicalIndex } from "./lexical/bm25.js";
export type { LexicalHit } from "./lexical/bm25.js";
export { canonicalTerms, isVocabularyWord, termCoverage } from "./lexical/vocabulary.js";
