import { createHash, type Hash } from "node:crypto";
import { StringDecoder } from "node:string_decoder";

export interface Captured {
  /** The whole output, or its head and tail when the middle did not fit (see `skippedChars`). */
  head: string;
  tail: string;
  /** Characters dropped between `head` and `tail` (0 when everything was kept). */
  skippedChars: number;
  truncated: boolean;
  bytes: number;
  digest: string;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * Keeps the first `headChars` and the last `tailChars` characters of a byte stream while counting and
 * hashing every byte, so a chatty command costs no memory beyond the two windows. StringDecoder holds back
 * a multi-byte sequence split across chunks, and no cut separates a surrogate pair.
 */
export class OutputCapture {
  private readonly hash: Hash = createHash("sha256");
  private readonly decoder = new StringDecoder("utf8");
  private readonly headParts: string[] = [];
  private headLength = 0;
  private headFull = false;
  private tailParts: string[] = [];
  private tailLength = 0;
  private skipped = 0;
  private bytes = 0;

  constructor(
    private readonly headChars: number,
    private readonly tailChars = 0,
  ) {}

  push(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    this.keep(this.decoder.write(chunk));
  }

  finish(): Captured {
    this.keep(this.decoder.end());
    const tail = this.tailParts.join("");
    return {
      head: this.headParts.join(""),
      tail,
      skippedChars: this.skipped,
      truncated: this.skipped > 0,
      bytes: this.bytes,
      digest: `sha256:${this.hash.digest("hex")}`,
    };
  }

  private keep(text: string): void {
    if (text === "") return;
    let rest = text;
    if (!this.headFull) {
      const room = this.headChars - this.headLength;
      if (rest.length <= room) {
        this.headParts.push(rest);
        this.headLength += rest.length;
        return;
      }
      let cut = room;
      // Never end the head on a lone high surrogate: its pair goes to the tail with it.
      if (cut > 0 && isHighSurrogate(rest.charCodeAt(cut - 1))) cut--;
      this.headParts.push(rest.slice(0, cut));
      this.headLength += cut;
      this.headFull = true;
      rest = rest.slice(cut);
    }
    this.addToTail(rest);
  }

  private addToTail(text: string): void {
    if (this.tailChars === 0) {
      this.skipped += text.length;
      return;
    }
    this.tailParts.push(text);
    this.tailLength += text.length;
    let excess = this.tailLength - this.tailChars;
    while (excess > 0) {
      const first = this.tailParts[0] ?? "";
      let drop = Math.min(excess, first.length);
      // Never start the tail on the second half of a surrogate pair.
      if (drop < first.length && isLowSurrogate(first.charCodeAt(drop))) drop++;
      if (drop >= first.length) this.tailParts.shift();
      else this.tailParts[0] = first.slice(drop);
      this.tailLength -= drop;
      this.skipped += drop;
      excess -= drop;
    }
  }
}
