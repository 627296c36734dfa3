import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { redact } from "../../src/executor/index.js";
import { PLACEHOLDER, plantedValues } from "./secrets-corpus/seed.js";

// Regenerate with `node --import tsx test/executor/secrets-corpus/generate.ts` (real kubectl against the sandbox).
const CORPUS = join(import.meta.dirname, "secrets-corpus");

function readDir(name: string): Array<{ file: string; text: string }> {
  const dir = join(CORPUS, name);
  return readdirSync(dir)
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") }));
}

/**
 * Lines of ordinary output that redaction changes on purpose, with the reason. Empty today; an entry here
 * must say why masking that line is the right trade.
 */
const ACCEPTED_FALSE_POSITIVES: Array<{ file: string; line: string; why: string }> = [];

describe("secrets corpus (real kubectl output with planted credentials)", () => {
  const planted = plantedValues();
  // The committed outputs hold placeholders where kubectl printed a planted value; put the values back.
  const files = readDir("planted").map(({ file, text }) => ({
    file,
    text: text.replace(PLACEHOLDER, (_all, index: string) => {
      const entry = planted[Number(index)];
      assert.ok(entry, `${file}: placeholder for unknown planted value ${index}; regenerate the corpus`);
      return entry.value;
    }),
  }));
  const redacted = files.map(({ file, text }) => ({ file, text: redact(text) }));

  it("plants at least 200 distinct values, each present in the raw output", () => {
    assert.ok(new Set(planted.map((p) => p.value)).size >= 200, `only ${planted.length} planted values`);
    const absent = planted.filter((p) => !files.some(({ text }) => text.includes(p.value)));
    assert.deepEqual(absent, [], "a planted value kubectl never printed proves nothing");
  });

  it("leaks none of them", (t) => {
    const leaks = planted.flatMap((p) => redacted.filter(({ text }) => text.includes(p.value)).map(({ file }) => `${p.kind} ${p.value} in ${file}`));
    t.diagnostic(`${planted.length} planted values in ${files.length} outputs, ${leaks.length} leaked`);
    assert.deepEqual(leaks, []);
  });

  it("keeps what is not a secret readable: names, references, hosts", () => {
    const all = redacted.map(({ text }) => text).join("\n");
    for (const kept of [
      "name: DB_PASSWORD",
      "value: pg.corp.svc",
      "<set to the key 'password' in secret 'mail'>",
      "secretKeyRef:",
      "https://hooks.slack.com/services/",
      "@pg.corp.svc:5432/billing",
      "LOG_LEVEL:",
    ]) {
      assert.ok(all.includes(kept), kept);
    }
  });
});

describe("ordinary output (false positives)", () => {
  it("changes no line of ordinary kubectl output and logs", (t) => {
    const changed: Array<{ file: string; line: string }> = [];
    let lines = 0;
    for (const { file, text } of readDir("ordinary")) {
      const before = text.split("\n");
      const after = redact(text).split("\n");
      lines += before.length;
      assert.equal(after.length, before.length, `${file}: redaction must not add or remove lines`);
      before.forEach((line, i) => {
        if (after[i] !== line) changed.push({ file, line });
      });
    }
    t.diagnostic(`${changed.length} of ${lines} ordinary lines changed`);
    assert.deepEqual(
      changed,
      ACCEPTED_FALSE_POSITIVES.map(({ file, line }) => ({ file, line })),
    );
  });
});
