// Terminal control sequences (ECMA-48) that output from a cluster must never carry to a person's terminal or
// into an agent's context: colour and cursor moves (CSI), window titles and clipboard writes (OSC 52),
// device control strings (DCS, SOS, PM, APC), single-character escapes (ESC c resets the terminal) and
// the C1 forms of all of them. Each alternative is bounded by its terminator, so the scan is linear.
const SEQUENCE = new RegExp(
  [
    // A control string (OSC, DCS, SOS, PM, APC; 7-bit or C1 introducer) with its terminator (BEL or ST):
    // the payload is control data, so it goes too. The payload stops at any ESC or C1 byte, which keeps
    // the scan linear when introducers repeat without terminators.
    String.raw`(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x80-\x9f]*(?:\x07|\x1b\\|\x9c)`,
    // CSI: parameters, intermediates, final byte.
    String.raw`(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]`,
    // Any other escape: intermediates and a final byte (ESC ( B, ESC 7, ESC c), or a lone ESC; an
    // unterminated control string loses only its introducer, so the rest stays visible as plain text.
    String.raw`\x1b[\x20-\x2f]*[\x30-\x7e]?`,
    // C0 controls other than tab and newline (a carriage return only where it ends a CRLF line), DEL, C1,
    // and the invisible characters that reorder or hide text on display: bidi embeddings, overrides and
    // isolates ("Trojan Source"), marks, zero-width space, word joiner, BOM. ZWJ/ZWNJ stay (emoji, scripts).
    String.raw`[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\r(?!\n)`,
  ].join("|"),
  "g",
);
// Matching control characters is the point here.
// eslint-disable-next-line no-control-regex
const ANY_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/;

/**
 * Removes terminal escape sequences, control characters and invisible bidi/zero-width characters,
 * keeping newlines, tabs and CRLF line ends, so text from pods (logs, events, annotations) cannot
 * recolour, rewrite, clear or title a terminal, write its clipboard, reorder what a person reads, or hide
 * lines from an agent. Text without control characters is returned as it is.
 */
export function stripTerminalEscapes(text: string): string {
  return ANY_CONTROL.test(text) ? text.replace(SEQUENCE, "") : text;
}
