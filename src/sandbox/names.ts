import { isRecord } from "./types.js";

/** The consonant-heavy alphabet Kubernetes uses for generated names, so suffixes never spell words. */
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncode(n: number, length?: number): string {
  let out = "";
  let rest = n >>> 0;
  do {
    out += ALPHABET[rest % ALPHABET.length];
    rest = Math.floor(rest / ALPHABET.length);
  } while (rest > 0);
  return length === undefined ? out : out.padEnd(length, ALPHABET[0]).slice(0, length);
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (isRecord(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stable(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** Hashes of stored (deep-frozen, so unchanging) templates: controllers ask for them on every pass. */
const frozenHashes = new WeakMap<object, string>();

/** A pod-template hash: same template, same hash, whatever the key order. */
export function templateHash(template: unknown): string {
  const frozen = isRecord(template) && Object.isFrozen(template);
  const known = frozen ? frozenHashes.get(template) : undefined;
  if (known !== undefined) return known;
  const hash = safeEncode(fnv32a(stable(template)));
  if (frozen) frozenHashes.set(template, hash);
  return hash;
}

/**
 * Deterministic "random" suffixes: the n-th name asked for from the same base is always the same, so a
 * sandbox replaying the same requests gets the same pod names.
 */
export class NameGenerator {
  private counter = 0;

  suffix(base: string): string {
    this.counter++;
    return safeEncode(fnv32a(`${base}#${this.counter}`), 5);
  }

  hex(): string {
    this.counter++;
    return fnv32a(`event#${this.counter}`).toString(16).padStart(8, "0") + this.counter.toString(16).padStart(8, "0");
  }
}
