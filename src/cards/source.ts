import { LineCounter, isMap, isScalar, isSeq, parseAllDocuments } from "yaml";
import type { Document, Node } from "yaml";
import type { z } from "zod";
import { checkCard } from "./check.js";
import type { IssuePath } from "./check.js";
import { CardSchema } from "./schema.js";
import type { Card } from "./schema.js";

/** One problem in one card file. Lines and columns are 1-based; 0 means the whole file. */
export interface CardFileIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly severity: "error" | "warning";
  readonly message: string;
}

export interface ParsedCardFile {
  readonly card?: Card;
  readonly issues: CardFileIssue[];
  /** Maps a path inside the card to its line and column, for issues found after parsing (e.g. duplicate ids). */
  readonly locate: (path: IssuePath) => { line: number; column: number };
}

/**
 * Finds the node at `path`, or the deepest existing ancestor when the path does not exist (a missing key).
 * With `atKey`, a path ending in a mapping key resolves to the key itself (for unknown fields).
 */
function nodeAt(doc: Document, path: IssuePath, atKey = false): Node | null {
  let node: unknown = doc.contents;
  for (const [i, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === segment);
      if (!pair) break;
      // A key with no value (`name:`) has no value node; point at the key.
      node = (atKey && i === path.length - 1) || pair.value === null ? pair.key : pair.value;
    } else if (isSeq(node) && typeof segment === "number" && node.items[segment] !== undefined) {
      node = node.items[segment];
    } else break;
  }
  return (node as Node | null) ?? null;
}

function zodPathMessage(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.map(String).join(".")}: ` : "";
  return `${where}${issue.message}`;
}

/** Parses and validates one card file: YAML syntax, one mapping per file, the card schema and the semantic checks. */
export function parseCardFile(file: string, text: string): ParsedCardFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const issues: CardFileIssue[] = [];
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const error = (pos: { line: number; column: number }, message: string) => issues.push({ file, ...pos, severity: "error", message });
  const noLocation = () => ({ line: 0, column: 0 });

  if (docs.length === 0) {
    error(noLocation(), "the file is empty; it must hold one card (a YAML mapping)");
    return { issues, locate: noLocation };
  }
  if (docs.length !== 1) {
    const extra = docs[1];
    error(extra?.range ? at(extra.range[0]) : noLocation(), `the file holds ${docs.length} YAML documents; keep one card per file`);
    return { issues, locate: noLocation };
  }
  const doc = docs[0] as Document;
  const locate = (path: IssuePath, atKey = false) => {
    const node = nodeAt(doc, path, atKey);
    return node?.range ? at(node.range[0]) : { line: 1, column: 1 };
  };
  for (const e of doc.errors) error(at(e.pos[0]), e.message);
  if (doc.errors.length > 0) return { issues, locate };
  if (!isMap(doc.contents)) {
    error(doc.contents?.range ? at(doc.contents.range[0]) : noLocation(), "a card file must hold one YAML mapping (one card)");
    return { issues, locate };
  }

  const parsed = CardSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
      for (const key of keys) {
        const base = issue.path.map((seg) => (typeof seg === "number" ? seg : String(seg)));
        const path = key === undefined ? base : [...base, key];
        error(locate(path, key !== undefined), key === undefined ? zodPathMessage(issue) : `${path.join(".")}: unknown field`);
      }
    }
    return { issues, locate };
  }
  const card = parsed.data;
  for (const issue of checkCard(card)) {
    issues.push({ file, ...locate(issue.path), severity: issue.severity, message: issue.message });
  }
  return { card, issues, locate };
}
