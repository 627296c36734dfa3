import { join } from "node:path";
import { bundledCardsDir, loadCards } from "../cards/index.js";
import type { CardSet } from "../cards/index.js";
import type { Config } from "../config/index.js";
import { createRetriever, TransformersEmbedder } from "../retrieval/index.js";
import type { RetrievalMode, Retriever } from "../retrieval/index.js";

/** The card set the configuration names: bundled cards (unless turned off), then the user's folders. */
export function loadCardSet(config: Config): Promise<CardSet> {
  return loadCards([...(config.cards.bundled ? [bundledCardsDir()] : []), ...config.cards.dirs], {
    cacheDir: config.retrieval.cacheDir,
  });
}

export function embeddingModelDir(config: Config): string {
  return config.retrieval.modelDir ?? join(config.retrieval.cacheDir, "models", config.retrieval.modelId);
}

/** A retriever over the cards; semantic modes load the embedding model lazily and fall back to lexical with a warning. */
export function openRetriever(
  config: Config,
  cards: CardSet,
  options: { mode?: RetrievalMode; onWarning: (message: string) => void },
): Promise<Retriever> {
  const mode = options.mode ?? config.retrieval.mode;
  return createRetriever({
    cards,
    mode,
    ...(mode === "lexical" ? {} : { embedder: () => TransformersEmbedder.load({ modelDir: embeddingModelDir(config) }) }),
    ...(config.retrieval.indexDir ? { indexDir: config.retrieval.indexDir } : {}),
    cacheDir: config.retrieval.cacheDir,
    onWarning: options.onWarning,
  });
}
