import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { OutputCapture } from "../../src/executor/capture.js";

function feed(capture: OutputCapture, bytes: Buffer, chunkSize: number): void {
  for (let i = 0; i < bytes.length; i += chunkSize) capture.push(bytes.subarray(i, i + chunkSize));
}

describe("OutputCapture", () => {
  it("decodes multi-byte characters split across chunks", () => {
    const text = "ünïcødé ✓ 😀".repeat(50);
    const capture = new OutputCapture(10_000);
    feed(capture, Buffer.from(text), 1);
    const out = capture.finish();
    assert.equal(out.head, text);
    assert.equal(out.truncated, false);
  });

  it("never cuts a surrogate pair in half", () => {
    const capture = new OutputCapture(5);
    feed(capture, Buffer.from("😀".repeat(10)), 7);
    const out = capture.finish();
    assert.equal(out.head, "😀😀");
    assert.equal(out.truncated, true);
    assert.equal(out.skippedChars, 16);
    assert.equal(out.bytes, 40);
  });

  it("hashes every byte even past the cap", () => {
    const data = Buffer.from("x".repeat(10_000));
    const capture = new OutputCapture(10);
    feed(capture, data, 333);
    const out = capture.finish();
    assert.equal(out.head, "x".repeat(10));
    assert.equal(out.digest, `sha256:${createHash("sha256").update(data).digest("hex")}`);
  });

  it("is not truncated when output fits exactly", () => {
    const capture = new OutputCapture(3);
    capture.push(Buffer.from("abc"));
    assert.deepEqual({ ...capture.finish(), digest: "" }, { head: "abc", tail: "", skippedChars: 0, truncated: false, bytes: 3, digest: "" });
  });

  // Each row: head and tail sizes, the output, the chunk size, and what must be kept either side of the gap.
  const windows: [string, number, number, string, number, string, string, number][] = [
    ["keeps head and tail, skips the middle", 4, 4, "0123456789abcdef", 3, "0123", "cdef", 8],
    ["everything fits in the head", 20, 4, "0123456789", 4, "0123456789", "", 0],
    ["the rest fits in the tail", 4, 20, "0123456789", 1, "0123", "456789", 0],
    ["one huge chunk", 2, 3, "abcdefghij", 100, "ab", "hij", 5],
    ["the tail never starts with half an emoji", 1, 3, "a😀😀😀", 1, "a", "😀", 4],
  ];
  for (const [name, headChars, tailChars, text, chunk, head, tail, skipped] of windows) {
    it(name, () => {
      const capture = new OutputCapture(headChars, tailChars);
      feed(capture, Buffer.from(text), chunk);
      const out = capture.finish();
      assert.deepEqual([out.head, out.tail, out.skippedChars, out.truncated], [head, tail, skipped, skipped > 0]);
      assert.equal(out.head.length + out.tail.length + out.skippedChars, text.length, "every character is kept or counted");
    });
  }
});
