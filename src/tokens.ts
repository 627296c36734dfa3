import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

type CountTokens = (text: string) => number;
let countTokensImpl: CountTokens | undefined;

/** Where `npm run build` writes the cl100k_base counter bundled from gpt-tokenizer (≈ 1 MB instead of its 51 MB package). */
export const VENDORED_TOKENIZER = join("dist", "vendor", "cl100k_base.cjs");

/**
 * Token count of `text` in cl100k_base, a stand-in for whatever model reads the text (other BPE vocabularies
 * differ by a few percent). The table takes ~200 ms to load, so it is loaded on first use, not at import: commands
 * that never count tokens must not pay for it. The installed package uses the copy bundled at build time;
 * a source checkout without a build uses gpt-tokenizer itself (a dev dependency).
 */
export function countTokens(text: string): number {
  if (countTokensImpl === undefined) {
    const require = createRequire(import.meta.url);
    const vendored = join(packageRoot(), VENDORED_TOKENIZER);
    const module = existsSync(vendored) ? require(vendored) : require("gpt-tokenizer/cjs/encoding/cl100k_base");
    countTokensImpl = (module as { countTokens: CountTokens }).countTokens;
  }
  return countTokensImpl(text);
}
