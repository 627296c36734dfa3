import { StringDecoder } from "node:string_decoder";
import { redact } from "./redact.js";

/** Past this many held characters a streamed batch is written anyway (an unterminated key block, a huge line). */
const MAX_HELD_CHARS = 65_536;

const KEY_BLOCK_START = /-----BEGIN [A-Z0-9 ]*-----/g;
const KEY_BLOCK_END = /-----END [A-Z0-9 ]*-----/g;

/** Whether a PEM-style block starts in `text` and does not end there: its body must not be redacted line by line. */
function opensBlock(text: string): boolean {
  return (text.match(KEY_BLOCK_START)?.length ?? 0) > (text.match(KEY_BLOCK_END)?.length ?? 0);
}

/**
 * Passes a child's stdout on as it arrives, for a person watching a terminal: whole lines only, each batch
 * redacted like the final result (a batch holding the start of a key block waits for its end, so the block
 * is masked as a whole). The final result is still built from the capture, not from these chunks.
 */
export class LineStream {
  private readonly decoder = new StringDecoder("utf8");
  private held = "";

  constructor(
    private readonly emit: (chunk: string) => void,
    private readonly redactOutput: boolean,
  ) {}

  push(chunk: Buffer): void {
    this.held += this.decoder.write(chunk);
    const end = this.held.lastIndexOf("\n") + 1;
    if (end === 0 && this.held.length < MAX_HELD_CHARS) return;
    const cut = end === 0 ? this.held.length : end;
    const batch = this.held.slice(0, cut);
    if (opensBlock(batch) && this.held.length < MAX_HELD_CHARS) return;
    this.held = this.held.slice(cut);
    this.write(batch);
  }

  /** What is left when the process ends: a last line without a newline. */
  finish(): void {
    const rest = this.held + this.decoder.end();
    this.held = "";
    if (rest !== "") this.write(rest);
  }

  private write(text: string): void {
    try {
      this.emit(this.redactOutput ? redact(text) : text);
    } catch {
      // A failing listener (a closed terminal) must not change what the command returns.
    }
  }
}
