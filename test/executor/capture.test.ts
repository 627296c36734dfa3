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
    assert.equal(out.text, text);
    assert.equal(out.truncated, false);
  });

  it("never cuts a surrogate pair in half", () => {
    const capture = new OutputCapture(5);
    feed(capture, Buffer.from("😀".repeat(10)), 7);
    const out = capture.finish();
    assert.equal(out.text, "😀😀");
    assert.equal(out.truncated, true);
    assert.equal(out.bytes, 40);
  });

  it("hashes every byte even past the cap", () => {
    const data = Buffer.from("x".repeat(10_000));
    const capture = new OutputCapture(10);
    feed(capture, data, 333);
    const out = capture.finish();
    assert.equal(out.text, "x".repeat(10));
    assert.equal(out.digest, `sha256:${createHash("sha256").update(data).digest("hex")}`);
  });

  it("is not truncated when output fits exactly", () => {
    const capture = new OutputCapture(3);
    capture.push(Buffer.from("abc"));
    assert.deepEqual({ ...capture.finish(), digest: "" }, { text: "abc", truncated: false, bytes: 3, digest: "" });
  });
});
