import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Derived data (parsed cards, the lexical index) cached as JSON files named by the digest of everything they
 * were derived from. A key that does not match is never read, so a stale entry cannot be served; the cost of
 * a miss is the work the cache exists to skip. Every failure reads as a miss or is ignored: the cache can make
 * a start faster, never make it fail.
 */

/** Entries kept per cache folder; older ones are removed when a new one is written. */
const KEEP = 8;

export function digest(parts: Iterable<string>): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(`${part.length}:`).update(part);
  return hash.digest("hex");
}

const fingerprints = new Map<string, string>();

/**
 * Identity of the code next to `moduleUrl` (the code that derives the cached data): name, size and mtime of
 * every source file there, so that a rebuilt or edited parser invalidates entries even when the inputs did not
 * change. Stat only: the folder may be a 2 MB bundle, and reading it would cost more than the cache saves.
 */
export function codeFingerprint(moduleUrl: string): string {
  const dir = dirname(fileURLToPath(moduleUrl));
  let fingerprint = fingerprints.get(dir);
  if (fingerprint === undefined) {
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
      .filter((name) => /\.[cm]?[jt]s$/.test(name))
      .sort();
    fingerprint = digest(
      files.flatMap((name) => {
        const { size, mtimeMs } = statSync(join(dir, name));
        return [name, String(size), String(mtimeMs)];
      }),
    );
    fingerprints.set(dir, fingerprint);
  }
  return fingerprint;
}

const entryPath = (dir: string, key: string) => join(dir, `${key}.json`);

/** The entry's parsed JSON when it exists and `accept` recognises its shape; otherwise undefined. */
export function readCached<T>(dir: string, key: string, accept: (value: unknown) => value is T): T | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(entryPath(dir, key), "utf8"));
    return accept(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the entry atomically (temporary file, then rename) and prunes old entries; never throws. */
export function writeCached(dir: string, key: string, value: unknown): void {
  const path = entryPath(dir, key);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, JSON.stringify(value), { mode: 0o600 });
    renameSync(tmp, path);
    pruneOldest(dir, KEEP, (name) => name.endsWith(".json"));
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing was written where nothing can be written.
    }
  }
}

/** Removes all but the `keep` most recently written files of `dir` that `matches` accepts. */
export function pruneOldest(dir: string, keep: number, matches: (name: string) => boolean): void {
  const entries = readdirSync(dir)
    .filter(matches)
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { path } of entries.slice(keep)) rmSync(path, { force: true });
}
