import { randomFillSync } from "node:crypto";

const HEX = Buffer.from("0123456789abcdef", "latin1");
const UUID_BYTES = 16;
/** Random bytes drawn 256 ids at a time; each byte is used once. */
const pool = Buffer.alloc(UUID_BYTES * 256);
let poolAt = pool.length;
/** The id's text is written here first, then read out as one flat string. */
const text = Buffer.alloc(36);

/**
 * A random (version 4) UUID in lower-case hex, as crypto.randomUUID() makes, written as one flat string:
 * randomUUID builds its text from two dozen concatenations, which every request paid for in garbage and in
 * flattening it again wherever the id was read (response, audit line, log).
 */
export function newRequestId(): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  let at = 0;
  for (let i = 0; i < UUID_BYTES; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text[at++] = 0x2d;
    let byte = pool[poolAt + i] as number;
    if (i === 6) byte = (byte & 0x0f) | 0x40; // version 4
    else if (i === 8) byte = (byte & 0x3f) | 0x80; // variant 10
    text[at++] = HEX[byte >> 4] as number;
    text[at++] = HEX[byte & 0x0f] as number;
  }
  poolAt += UUID_BYTES;
  return text.toString("latin1", 0, 36);
}
