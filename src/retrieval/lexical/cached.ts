import { join } from "node:path";
import { codeFingerprint, digest, readCached, writeCached } from "../../cache/index.js";
import type { CardSet } from "../../cards/index.js";
import { LexicalIndex } from "./bm25.js";
import type { LexicalIndexData } from "./bm25.js";

const isIndexData = (value: unknown): value is LexicalIndexData =>
  typeof value === "object" &&
  value !== null &&
  Array.isArray((value as LexicalIndexData).ids) &&
  Array.isArray((value as LexicalIndexData).postings) &&
  typeof (value as LexicalIndexData).vocabulary === "object";

/** The lexical index of `cards`, read from `cacheDir` when an entry for this card set and this code exists. */
export function lexicalIndexFor(cards: CardSet, cacheDir: string | undefined): LexicalIndex {
  if (cacheDir === undefined) return LexicalIndex.build(cards.cards);
  const dir = join(cacheDir, "lexical");
  const key = digest([codeFingerprint(import.meta.url), cards.hash]);
  const cached = readCached(dir, key, isIndexData);
  if (cached !== undefined) return LexicalIndex.fromData(cached);
  const index = LexicalIndex.build(cards.cards);
  writeCached(dir, key, index.toData());
  return index;
}
