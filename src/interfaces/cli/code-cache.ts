import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Script } from "node:vm";
import { pruneOldest } from "../../cache/index.js";
import { defaultCacheDir } from "../../config/defaults.js";

/** Entries kept (one per command, build and Node version); older ones are removed when a new one is written. */
const KEEP = 16;
const SUFFIX = ".v8cache";
/** A long-running command (serve, mcp, sandbox) writes its entry this long after it started instead of at exit. */
const WRITE_AFTER_MS = 3_000;

type Env = Record<string, string | undefined>;

/**
 * `<cache dir>/code`, or undefined when NODE_DISABLE_COMPILE_CACHE is set (the switch Node's own compile cache
 * obeys). It follows $XDG_CACHE_HOME and HOME only: it is needed before any configuration file is read.
 */
export function codeCacheDir(env: Env): string | undefined {
  return env["NODE_DISABLE_COMPILE_CACHE"] ? undefined : join(defaultCacheDir(env), "code");
}

export interface CodeCacheOptions {
  /** Folder of the entries; undefined runs the script without a cache. */
  readonly dir: string | undefined;
  /** The run's code path (the CLI command): each gets its own entry, holding the functions that path compiled. */
  readonly variant: string;
}

/**
 * off: no folder; untrusted: the folder is not the user's own or others may write to it, so nothing in it is run;
 * miss: no entry yet; rejected: V8 refused the entry (it is replaced); hit: V8 used it.
 */
export type CodeCacheStatus = "off" | "untrusted" | "miss" | "rejected" | "hit";

type CommonJsWrapper = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
  importExternal: (specifier: string) => Promise<unknown>,
) => void;

/**
 * The bundle's one way to import() (src/external-import.ts): a script compiled from cached data cannot call import()
 * on Node 20, so this module does it. A bare name resolves from here, the bundle's own folder once built.
 */
const importExternal = (specifier: string): Promise<unknown> => import(specifier);

/**
 * Runs a CommonJS file (the CLI bundle) as Node would, with V8's compiled code cached between processes: compiling
 * the bundle was about a third of a one-shot command's time, and Node 20 caches compiled code for no module
 * (Node 22's module.enableCompileCache does it for every module). The entry is written once per command, after
 * the run compiled what that command needs, and named by a digest of the bundle's bytes, the Node version and
 * flags, and the command: V8 itself checks only the source's length, so an entry can never be applied to other
 * code. An entry V8 refuses is replaced; any failure to read or write one only costs the compile it would save.
 */
export function runWithCodeCache(file: string, options: CodeCacheOptions): CodeCacheStatus {
  const source = readFileSync(file);
  const dir = options.dir;
  let status: CodeCacheStatus = dir === undefined ? "off" : ownedByUser(dir) ? "miss" : "untrusted";
  const entry = dir === undefined ? "" : join(dir, `${entryName(source, options.variant)}${SUFFIX}`);
  const cachedData = status === "miss" ? readEntry(entry) : undefined;
  const script = new Script(`(function (exports, require, module, __filename, __dirname, __importExternal) {${source.toString("utf8")}\n})`, {
    filename: file,
    ...(cachedData === undefined ? {} : { cachedData }),
  });
  if (cachedData !== undefined) status = script.cachedDataRejected === true ? "rejected" : "hit";
  if (dir !== undefined && (status === "miss" || status === "rejected")) writeWhenCompiled(script, dir, entry);
  const module = { exports: {} };
  (script.runInThisContext() as CommonJsWrapper)(module.exports, createRequire(file), module, file, dirname(file), importExternal);
  return status;
}

function entryName(source: Buffer, variant: string): string {
  const hash = createHash("sha256").update(source);
  for (const part of [process.version, process.arch, process.execArgv.join("\0"), process.env["NODE_OPTIONS"] ?? "", variant]) hash.update(`\0${part}`);
  return hash.digest("hex").slice(0, 32);
}

/** A folder that does not exist yet is created private; one that exists must be the user's and writable by no one else. */
function ownedByUser(dir: string): boolean {
  let info;
  try {
    info = statSync(dir);
  } catch {
    return true;
  }
  if (!info.isDirectory()) return false;
  return process.getuid === undefined || (info.uid === process.getuid() && (info.mode & 0o022) === 0);
}

function readEntry(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** At exit, or WRITE_AFTER_MS into a run that lasts longer; written atomically (temporary file, then rename). */
function writeWhenCompiled(script: Script, dir: string, entry: string): void {
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    const tmp = `${entry}.${process.pid}.tmp`;
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      // Opened before the code is serialised: where nothing can be written, that work is not done at every exit.
      const fd = openSync(tmp, "wx", 0o600);
      try {
        writeSync(fd, script.createCachedData());
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, entry);
      pruneOldest(dir, KEEP, (name) => name.endsWith(SUFFIX) || name.endsWith(".tmp"));
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // Nothing was written where nothing can be written.
      }
    }
  };
  process.once("exit", write);
  setTimeout(write, WRITE_AFTER_MS).unref();
}
