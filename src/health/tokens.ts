import { createRequire } from "node:module";

type CountTokens = (text: string) => number;
let countImpl: CountTokens | undefined;

/**
 * cl100k_base tokens, the count the retrieval context uses too. The table loads on first use (~200 ms),
 * so commands that never count tokens do not pay for it.
 */
export function countTokens(text: string): number {
  if (countImpl === undefined) {
    const require = createRequire(import.meta.url);
    countImpl = (require("gpt-tokenizer/cjs/encoding/cl100k_base") as { countTokens: CountTokens }).countTokens;
  }
  return countImpl(text);
}
