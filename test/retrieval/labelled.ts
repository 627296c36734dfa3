import { readFileSync } from "node:fs";

export interface LabelledQuery {
  readonly query: string;
  readonly expected: string;
}

/** Hand-written operator queries (paraphrases, slang, short names, typos) with the card that should answer each. */
export function labelledQueries(): LabelledQuery[] {
  return readFileSync(new URL("./queries.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabelledQuery);
}

export interface Quality {
  readonly top1: number;
  readonly recallAt4: number;
  readonly misses: readonly string[];
}

/** top-1 accuracy and recall@4 of `rank` (ids best first) over the labelled set. */
export async function measure(rank: (query: string) => Promise<readonly string[]> | readonly string[]): Promise<Quality> {
  const queries = labelledQueries();
  let top1 = 0;
  let recall = 0;
  const misses: string[] = [];
  for (const { query, expected } of queries) {
    const ids = (await rank(query)).slice(0, 4);
    if (ids[0] === expected) top1++;
    else misses.push(`${JSON.stringify(query)} → ${ids.join(", ") || "(nothing)"} (want ${expected})`);
    if (ids.includes(expected)) recall++;
  }
  return { top1: top1 / queries.length, recallAt4: recall / queries.length, misses };
}
