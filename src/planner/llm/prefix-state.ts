import { createHash } from "node:crypto";
import { access, mkdir, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { LlamaContextSequence, Token } from "node-llama-cpp";
import { pruneOldest } from "../../cache/index.js";

/** Everything an evaluated prefix depends on besides its tokens. */
export interface PrefixStateIdentity {
  readonly modelFingerprint: string;
  readonly contextSize: number;
  /** llama.cpp's release and GPU choice: the state layout is theirs. */
  readonly runtime: string;
}

/**
 * Where the evaluated fixed prefix is kept between processes. node-llama-cpp warns that loading a state made by
 * another model can crash the process, so the name is a digest of the model fingerprint, the context size, the
 * llama.cpp build and every prefix token: a state is only ever loaded into the setup that wrote it.
 */
export function prefixStateFile(dir: string, identity: PrefixStateIdentity, prefix: readonly Token[]): string {
  const key = createHash("sha256")
    .update(JSON.stringify([identity.modelFingerprint, identity.contextSize, identity.runtime]))
    .update(Uint32Array.from(prefix as readonly number[]))
    .digest("hex")
    .slice(0, 32);
  return join(dir, `prefix-${key}.state`);
}

/**
 * Loads a saved prefix into an empty sequence. True only when the sequence then holds exactly `prefix`; anything
 * else (no file, a truncated one, other tokens) leaves the sequence empty for a normal evaluation.
 */
export async function restorePrefix(sequence: LlamaContextSequence, file: string, prefix: readonly Token[]): Promise<boolean> {
  try {
    await access(file);
    await sequence.loadStateFromFile(file, { acceptRisk: true });
    const exact = sequence.nextTokenIndex === prefix.length && sequence.compareContextTokens(prefix as Token[]).firstDifferentIndex === prefix.length;
    if (exact) return true;
  } catch {
    // A missing or unreadable file is the common case of a first start.
  }
  await sequence.clearHistory();
  return false;
}

/** States kept per folder: each is tens of MB, and a changed prompt or model makes the old ones useless. */
const KEEP = 4;

/** Saves the sequence's evaluated prefix atomically (temporary file, then rename); a failure only costs the next start time. */
export async function savePrefix(sequence: LlamaContextSequence, file: string): Promise<void> {
  const dir = dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dir, { recursive: true });
    await sequence.saveStateToFile(tmp);
    await rename(tmp, file);
    pruneOldest(dir, KEEP, (name) => name.startsWith("prefix-") && name.endsWith(".state"));
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}
