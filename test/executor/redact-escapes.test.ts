import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { stripTerminalEscapes } from "../../src/executor/index.js";

const ESC = "\x1b";

describe("stripTerminalEscapes", () => {
  const cases: Array<[string, string, string]> = [
    ["colour (CSI SGR)", `${ESC}[1;31mERROR${ESC}[0m done`, "ERROR done"],
    ["clear screen and cursor moves", `${ESC}[2J${ESC}[H${ESC}[10;5Hx${ESC}[?25l`, "x"],
    ["OSC 52 clipboard write, BEL-terminated", `a${ESC}]52;c;Y3VybCBldmlsIHwgc2g=\x07b`, "ab"],
    ["OSC window title, ST-terminated", `a${ESC}]0;pwned${ESC}\\b`, "ab"],
    ["OSC 8 hyperlink keeps its text", `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`, "click"],
    ["DCS, SOS, PM, APC strings", `a${ESC}Pq#0;2;0;0;0${ESC}\\b${ESC}Xs${ESC}\\c${ESC}^p${ESC}\\d${ESC}_a${ESC}\\e`, "abcde"],
    ["C1 CSI and OSC", "a\x9b31mb\x9d0;t\x07c", "abc"],
    ["single-character escapes", `a${ESC}cb${ESC}7c${ESC}(Bd${ESC}=e`, "abcde"],
    ["unterminated OSC loses only its introducer", `a${ESC}]52;c;abc`, "a52;c;abc"],
    ["C0 controls except tab and newline", "a\x00b\x07c\x08d\tx\ny\x7fz", "abcd\tx\nyz"],
    ["lone carriage return (line overwrite)", "safe\rEVIL", "safeEVIL"],
    ["CRLF line ends stay", "a\r\nb\r\n", "a\r\nb\r\n"],
    ["C1 controls", "a\x85b\x90c", "abc"],
    ["bidi overrides and isolates", "user\u202Enimda\u202C \u2067x\u2069", "usernimda x"],
    ["zero-width space, marks and BOM", "\ufeffpass\u200bword\u200e=x\u2060", "password=x"],
  ];
  for (const [what, input, expected] of cases) {
    it(`removes ${what}`, () => assert.equal(stripTerminalEscapes(input), expected));
  }

  it("returns text without control characters as it is (same string)", () => {
    const text = "NAME  READY  STATUS\nweb   1/1    Running  ünïcödé ✓ مرحبا 👨\u200d👩\u200d👧\t";
    assert.equal(stripTerminalEscapes(text), text);
  });

  it("leaves no ESC, C1 or C0 control other than tab, newline and CRLF (property)", () => {
    const piece = fc.constantFrom(ESC, "[", "]", "P", "\\", "\x07", "\x9b", "\x9c", "\x9d", "\r", "\n", "\t", "0", ";", "m", "a", "52", "\x00", "\x85");
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const out = stripTerminalEscapes(parts.join(""));
        // eslint-disable-next-line no-control-regex
        return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/.test(out) && stripTerminalEscapes(out) === out;
      }),
      { numRuns: 2000 },
    );
  });

  it("handles 1 MB adversarial inputs", { timeout: 30_000 }, () => {
    for (const unit of [`${ESC}]`, "\x90", `${ESC}[`, `${ESC}[1;`, `${ESC}P${ESC}`, "\x9d\x1b"]) {
      assert.equal(typeof stripTerminalEscapes(unit.repeat(Math.ceil((1 << 20) / unit.length))), "string");
    }
  });
});
