import { createHash, type Hash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";

export interface Captured {
  text: string;
  truncated: boolean;
  bytes: number;
  digest: string;
}

/**
 * Keeps the first `maxChars` characters of a byte stream while still counting and hashing every byte,
 * so a chatty command costs no memory beyond the cap. StringDecoder holds back a multi-byte sequence
 * split across chunks, and the cut never separates a surrogate pair.
 */
export class OutputCapture {
  private readonly hash: Hash = createHash("sha256");
  private readonly decoder = new StringDecoder("utf8");
  private readonly parts: string[] = [];
  private chars = 0;
  private bytes = 0;
  private full = false;
  private truncated = false;

  constructor(private readonly maxChars: number) {}

  push(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (!this.full) this.keep(this.decoder.write(chunk));
  }

  finish(): Captured {
    if (!this.full) this.keep(this.decoder.end());
    return { text: this.parts.join(""), truncated: this.truncated, bytes: this.bytes, digest: `sha256:${this.hash.digest("hex")}` };
  }

  private keep(text: string): void {
    if (text === "") return;
    const room = this.maxChars - this.chars;
    if (text.length <= room) {
      this.parts.push(text);
      this.chars += text.length;
      return;
    }
    let cut = room;
    // Never end on a lone high surrogate: drop it rather than emit half a character.
    if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
    this.parts.push(text.slice(0, cut));
    this.chars += cut;
    this.full = true;
    this.truncated = true;
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
