import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createExecutor } from "../../src/executor/index.js";
import { LineStream } from "../../src/executor/stream.js";

const executor = () => createExecutor({ binaries: { node: process.execPath }, env: { PATH: "/usr/bin:/bin" }, concurrency: 2, timeoutMs: 10_000, maxStdoutChars: 200 });
const script = (code: string): string[] => ["node", "-e", code];

describe("onOutput: stdout as it arrives, for a person at a terminal", () => {
  it("passes whole lines, in order, before the process ends, and leaves the capped result as it was", async () => {
    const chunks: string[] = [];
    // Writes a line, waits until the parent has seen it (a marker file is not needed: the second write follows a pause).
    const code = 'process.stdout.write("Waiting for rollout: 1 of 3\\npart"); setTimeout(() => { process.stdout.write("ial\\n" + "x".repeat(1000) + "\\nlast") }, 200);';
    const result = await executor().run(script(code), { onOutput: (c) => chunks.push(c) });
    assert.equal(chunks[0], "Waiting for rollout: 1 of 3\n", "the first line arrives on its own, the partial one waits");
    assert.equal(chunks.join(""), `Waiting for rollout: 1 of 3\npartial\n${"x".repeat(1000)}\nlast`, "everything arrives, the last line without its newline");
    assert.ok(result.stdout.length <= 200, "the result keeps its budget");
    assert.equal(result.truncated.stdout, true);
  });

  it("redacts what it streams, and masks a key block as a whole even when it arrives in pieces", async () => {
    const chunks: string[] = [];
    const code =
      'process.stdout.write("password=hunter2\\n-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n"); setTimeout(() => process.stdout.write("AKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\ndone\\n"), 150);';
    await executor().run(script(code), { onOutput: (c) => chunks.push(c) });
    const all = chunks.join("");
    assert.doesNotMatch(all, /hunter2|MIIEvQ|AKcwgg/);
    assert.match(all, /done\n$/);
  });

  it("a listener that throws changes nothing", async () => {
    const result = await executor().run(script('process.stdout.write("a\\nb\\n")'), {
      onOutput: () => {
        throw new Error("terminal closed");
      },
    });
    assert.equal(result.code, 0);
    assert.equal(result.stdout, "a\nb\n");
  });

  it("LineStream: a multi-byte character split across chunks arrives whole; an endless line is written at the hold limit", () => {
    const out: string[] = [];
    const stream = new LineStream((c) => out.push(c), false);
    const bytes = Buffer.from("é\n");
    stream.push(bytes.subarray(0, 1));
    stream.push(bytes.subarray(1));
    assert.deepEqual(out, ["é\n"]);
    stream.push(Buffer.from("y".repeat(70_000)));
    assert.equal(out[1]?.length, 70_000);
    stream.finish();
    assert.equal(out.length, 2);
  });
});
