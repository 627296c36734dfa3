import { basename, extname } from "node:path";
import { listDir, scanListings } from "./load.js";
import type { CardFileIssue } from "./source.js";

export type LintIssue = CardFileIssue;

/**
 * Checks card directories without stopping at the first problem: everything the loader rejects (as errors)
 * plus warnings for cards that load but are weak (no references, no keywords, file named unlike the id).
 */
export async function lintCards(dirs: readonly string[]): Promise<LintIssue[]> {
  const { cards, issues } = scanListings(await Promise.all(dirs.map(listDir)));
  for (const { card, file } of cards.values()) {
    if (basename(file, extname(file)) !== card.id) {
      issues.push({ file, line: 0, column: 0, severity: "warning", message: `file name differs from the card id "${card.id}"; name it ${card.id}.yaml` });
    }
  }
  return issues.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : a.file < b.file ? -1 : 1));
}
