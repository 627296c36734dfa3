import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { codeFingerprint, digest, readCached, writeCached } from "../cache/index.js";
import { packageRoot } from "../package-root.js";
import type { Card } from "./schema.js";
import { parseCardFile } from "./source.js";
import type { CardFileIssue } from "./source.js";

export interface CardSet {
  /** Cards sorted by id. */
  readonly cards: readonly Card[];
  readonly byId: ReadonlyMap<string, Card>;
  /** sha256 (hex) over the canonical content of every card; independent of file names and order. */
  readonly hash: string;
  /** Card id → the file it was loaded from. */
  readonly sources: ReadonlyMap<string, string>;
}

export interface CardProblem {
  readonly file: string;
  /** 1-based; 0 when the problem concerns the whole file or directory. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export class CardLoadError extends Error {
  override readonly name = "CardLoadError";
  constructor(readonly problems: readonly CardProblem[]) {
    super(
      `${problems.length} problem(s) in command cards:\n` +
        problems.map((p) => `  ${p.file}${p.line > 0 ? `:${p.line}:${p.column}` : ""}: ${p.message}`).join("\n"),
    );
  }
}

const CARD_FILE = /\.ya?ml$/;

interface DirListing {
  readonly dir: string;
  readonly files: readonly { path: string; text: string }[];
  readonly issue?: CardFileIssue;
}

export interface ScannedCard {
  readonly card: Card;
  readonly file: string;
}

/** Parses every card file of every directory and applies overrides; shared by the loader and the linter. */
export function scanListings(listings: readonly DirListing[]): { cards: Map<string, ScannedCard>; issues: CardFileIssue[] } {
  const cards = new Map<string, ScannedCard>();
  const issues: CardFileIssue[] = [];
  for (const listing of listings) {
    if (listing.issue) issues.push(listing.issue);
    // Ids must be unique within one directory; a later directory may replace an earlier one's card.
    const inThisDir = new Map<string, string>();
    for (const { path, text } of listing.files) {
      const parsed = parseCardFile(path, text);
      issues.push(...parsed.issues);
      if (!parsed.card) continue;
      const { card } = parsed;
      const first = inThisDir.get(card.id);
      if (first !== undefined) {
        issues.push({ file: path, ...parsed.locate(["id"]), severity: "error", message: `duplicate card id "${card.id}" (also in ${first})` });
        continue;
      }
      inThisDir.set(card.id, path);
      cards.set(card.id, { card, file: path });
    }
  }
  return { cards, issues };
}

function missingDir(dir: string, err: unknown): CardFileIssue {
  const reason = err instanceof Error ? err.message : String(err);
  return { file: dir, line: 0, column: 0, severity: "error", message: `cannot read card directory: ${reason}` };
}

export async function listDir(dir: string): Promise<DirListing> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    return { dir, files: [], issue: missingDir(dir, err) };
  }
  const paths = names.filter((n) => CARD_FILE.test(n)).sort().map((n) => join(dir, n));
  const files = await Promise.all(paths.map(async (path) => ({ path, text: await readFile(path, "utf8") })));
  return { dir, files };
}

export function listDirSync(dir: string): DirListing {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    return { dir, files: [], issue: missingDir(dir, err) };
  }
  const paths = names.filter((n) => CARD_FILE.test(n)).sort().map((n) => join(dir, n));
  return { dir, files: paths.map((path) => ({ path, text: readFileSync(path, "utf8") })) };
}

/** JSON with object keys sorted, so that equal content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function buildSet(listings: readonly DirListing[]): CardSet {
  const { cards, issues } = scanListings(listings);
  const errors = issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new CardLoadError(errors.map(({ file, line, column, message }) => ({ file, line, column, message })));
  const sorted = [...cards.values()].sort((a, b) => (a.card.id < b.card.id ? -1 : 1));
  const hash = createHash("sha256");
  for (const { card } of sorted) hash.update(canonicalJson(card)).update("\n");
  return {
    cards: sorted.map((s) => s.card),
    byId: new Map(sorted.map((s) => [s.card.id, s.card])),
    hash: hash.digest("hex"),
    sources: new Map(sorted.map((s) => [s.card.id, s.file])),
  };
}

export interface LoadCardsOptions {
  /**
   * Where the parsed card set is cached, keyed by the digest of every card file (path and content) and of the
   * card-parsing code. Parsing and validating the YAML is most of a cold start; a hit skips both.
   */
  readonly cacheDir?: string;
}

interface CachedCardSet {
  readonly cards: readonly Card[];
  readonly hash: string;
  readonly sources: readonly (readonly [string, string])[];
}

const isCachedCardSet = (value: unknown): value is CachedCardSet =>
  typeof value === "object" &&
  value !== null &&
  Array.isArray((value as CachedCardSet).cards) &&
  typeof (value as CachedCardSet).hash === "string" &&
  Array.isArray((value as CachedCardSet).sources);

function fromCache(cached: CachedCardSet): CardSet {
  return {
    cards: cached.cards,
    byId: new Map(cached.cards.map((card) => [card.id, card])),
    hash: cached.hash,
    sources: new Map(cached.sources),
  };
}

function buildCachedSet(listings: readonly DirListing[], options: LoadCardsOptions): CardSet {
  const { cacheDir } = options;
  // A listing with an unreadable directory is an error to report, not a state to cache.
  if (cacheDir === undefined || listings.some((l) => l.issue !== undefined)) return buildSet(listings);
  const key = digest([
    codeFingerprint(import.meta.url),
    ...listings.flatMap((l) => [l.dir, String(l.files.length), ...l.files.flatMap((f) => [f.path, f.text])]),
  ]);
  const dir = join(cacheDir, "cards");
  const cached = readCached(dir, key, isCachedCardSet);
  if (cached !== undefined) return fromCache(cached);
  const set = buildSet(listings);
  writeCached(dir, key, { cards: set.cards, hash: set.hash, sources: [...set.sources] } satisfies CachedCardSet);
  return set;
}

/** Loads the cards of every directory in order; a card in a later directory replaces the earlier card with its id. */
export async function loadCards(dirs: readonly string[], options: LoadCardsOptions = {}): Promise<CardSet> {
  return buildCachedSet(await Promise.all(dirs.map(listDir)), options);
}

export function loadCardsSync(dirs: readonly string[], options: LoadCardsOptions = {}): CardSet {
  return buildCachedSet(dirs.map(listDirSync), options);
}

/** The `cards/` folder shipped with the package. */
export function bundledCardsDir(): string {
  return join(packageRoot(), "cards");
}
