import { randomBytes } from "node:crypto";
import { closeSync, constants, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ApprovalSecretError, describeError } from "./errors.js";

const SECRET_BYTES = 32;
const SECRET_TEXT = /^[0-9a-f]{64}\n?$/;

function readSecret(path: string): Buffer | undefined {
  let fd: number;
  try {
    // O_NOFOLLOW: a symlink planted at the path must not redirect us to a file someone else controls.
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new ApprovalSecretError(path, `cannot open it: ${describeError(error)}`, { cause: error });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw new ApprovalSecretError(path, "is not a regular file; remove it so a new secret is created");
    const uid = process.getuid?.();
    if (uid !== undefined && info.uid !== uid) throw new ApprovalSecretError(path, `belongs to uid ${info.uid}, not to this user (${uid}); remove it`);
    if ((info.mode & 0o077) !== 0) {
      throw new ApprovalSecretError(path, `others can read or write it (mode ${(info.mode & 0o777).toString(8)}); run chmod 600 on it, or remove it`);
    }
    const text = readFileSync(fd, "utf8");
    if (!SECRET_TEXT.test(text)) throw new ApprovalSecretError(path, "is not 64 hex digits; remove it so a new secret is created (outstanding tokens stop working)");
    return Buffer.from(text.slice(0, 64), "hex");
  } finally {
    closeSync(fd);
  }
}

function syncFolder(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a folder; the file itself was synced.
  }
}

/**
 * Writes a fresh secret to a private temporary file, syncs it, then link()s it into place. link() never
 * replaces an existing name, so when two processes create the secret at once both end up with the one
 * that got there first (rename would silently invalidate the tokens the loser already issued).
 */
function createSecret(path: string): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(temporary, "wx", 0o600);
  try {
    writeSync(fd, `${randomBytes(SECRET_BYTES).toString("hex")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, path);
    syncFolder(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** The installation's secret at `path` (64 hex digits, mode 0600, this user's), created on first use. */
export function loadOrCreateSecret(path: string): Buffer {
  const existing = readSecret(path);
  if (existing) return existing;
  try {
    createSecret(path);
  } catch (error) {
    throw new ApprovalSecretError(path, `cannot create it: ${describeError(error)}`, { cause: error });
  }
  const created = readSecret(path);
  if (!created) throw new ApprovalSecretError(path, "vanished right after it was created");
  return created;
}
