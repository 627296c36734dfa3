import { accessSync, constants, realpathSync, statSync } from "node:fs";
import { basename, delimiter, isAbsolute, join, resolve } from "node:path";
import { BinaryNotFoundError, ForbiddenBinaryError } from "./errors.js";

/**
 * Programs that run other programs or shell text. Configuring one as "kubectl" would turn argv that
 * policy approved as a kubectl command into something else entirely, so they are refused by name and
 * by what a symlink really points at.
 */
const FORBIDDEN = new Set([
  "sh", "bash", "dash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish", "ash", "busybox",
  "env", "xargs", "sudo", "doas", "su", "nohup", "setsid", "timeout", "nice", "stdbuf",
]);

function checkAllowed(name: string, path: string): void {
  for (const candidate of [basename(path), basename(safeRealpath(path))]) {
    if (FORBIDDEN.has(candidate)) throw new ForbiddenBinaryError(name, path, candidate);
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * The absolute path of `configured` found the way execvp would: a value containing "/" is a path
 * (relative ones against `cwd`), anything else is searched on `pathVar` in order. Synchronous: a few
 * stat calls, done once per binary.
 */
export function locateExecutable(configured: string, pathVar: string, cwd = process.cwd()): string | undefined {
  if (configured.includes("/")) {
    const full = isAbsolute(configured) ? configured : resolve(cwd, configured);
    return isExecutableFile(full) ? full : undefined;
  }
  for (const dir of pathVar.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, configured);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/** Promise form of `locateExecutable`, for callers that check several tools at start-up. */
export function findExecutable(configured: string, pathVar: string, cwd = process.cwd()): Promise<string | undefined> {
  return Promise.resolve(locateExecutable(configured, pathVar, cwd));
}

export interface BinaryResolver {
  /** The absolute path to spawn for `name`; throws BinaryNotFoundError or ForbiddenBinaryError. */
  resolve(name: string): string;
  /** Whether `resolve(name)` would succeed now. */
  available(name: string): boolean;
}

/**
 * Resolves each configured binary once and remembers the answer. A failed lookup is not remembered,
 * so installing the missing tool fixes a long-running server without a restart.
 */
export function createBinaryResolver(binaries: Readonly<Record<string, string>>, pathVar: string): BinaryResolver {
  for (const [name, configured] of Object.entries(binaries)) {
    if (FORBIDDEN.has(name)) throw new ForbiddenBinaryError(name, configured, name);
    checkAllowed(name, configured);
  }
  const cache = new Map<string, string>();
  const lookup = (name: string): string | undefined => {
    const hit = cache.get(name);
    if (hit !== undefined) return hit;
    const configured = binaries[name];
    if (configured === undefined) return undefined;
    const path = locateExecutable(configured, pathVar);
    if (path === undefined) return undefined;
    checkAllowed(name, path);
    cache.set(name, path);
    return path;
  };
  return {
    resolve(name) {
      const path = lookup(name);
      if (path === undefined) throw new BinaryNotFoundError(name, binaries[name] ?? name);
      return path;
    },
    available(name) {
      try {
        return lookup(name) !== undefined;
      } catch {
        return false;
      }
    },
  };
}
