import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { after, test } from "node:test";
import { codeCacheDir } from "../../../src/interfaces/cli/code-cache.js";
import type { CodeCacheStatus } from "../../../src/interfaces/cli/code-cache.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "rag-k8s-code-cache-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** A CommonJS file that prints what it was run with: the wrapper's arguments must be Node's. */
function script(name: string, body: string): string {
  const file = join(work, name);
  const report = `{ value: ${body}, filename: __filename, exportsSame: exports === module.exports, requires: typeof require("node:path").join }`;
  writeFileSync(file, `process.stdout.write(JSON.stringify(${report}) + "\\n");\n`);
  return file;
}

const CODE_CACHE = pathToFileURL(fileURLToPath(new URL("../../../src/interfaces/cli/code-cache.ts", import.meta.url))).href;

/**
 * Runs `file` with the cache in `dir` in a process of its own, as the bin does: V8 keeps what it compiled for the
 * life of a process and would answer a second compile in this one from memory. The entry is written at its exit.
 */
function run(file: string, dir: string | undefined, variant = "run"): { status: CodeCacheStatus; output: Record<string, unknown> } {
  const code = `import { runWithCodeCache } from ${JSON.stringify(CODE_CACHE)}; const status = runWithCodeCache(${JSON.stringify(file)}, { dir: ${JSON.stringify(dir)}, variant: ${JSON.stringify(variant)} }); process.stdout.write(status + "\\n");`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { encoding: "utf8", cwd: ROOT, timeout: 60_000 });
  assert.equal(child.status, 0, child.stderr);
  const [report = "{}", status = ""] = child.stdout.trim().split("\n");
  return { status: status as CodeCacheStatus, output: JSON.parse(report) as Record<string, unknown> };
}
const entries = (dir: string) => readdirSync(dir).filter((name) => name.endsWith(".v8cache"));

test("the first start writes an entry, private to the user; the next start uses it; both run the script as Node would", () => {
  const dir = join(work, "cache-a", "code");
  const file = script("a.cjs", "1 + 1");
  assert.deepEqual(run(file, dir), { status: "miss", output: { value: 2, filename: file, exportsSame: true, requires: "function" } });
  const [entry] = entries(dir);
  assert.ok(entry, "an entry was written");
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, entry)).mode & 0o777, 0o600);
  assert.deepEqual(run(file, dir), { status: "hit", output: { value: 2, filename: file, exportsSame: true, requires: "function" } });
  assert.equal(entries(dir).length, 1, "a hit writes nothing");
});

test("entries are named by the code's bytes and the command: same length, other code, never the old entry", () => {
  const dir = join(work, "cache-b");
  const file = script("b.cjs", "'aaaa'");
  assert.equal(run(file, dir).status, "miss");
  // V8 checks only the source's length: an entry must never be applied to other code of the same length.
  script("b.cjs", "'bbbb'");
  assert.deepEqual(run(file, dir), { status: "miss", output: { value: "bbbb", filename: file, exportsSame: true, requires: "function" } });
  assert.equal(run(file, dir, "exec").status, "miss", "another command has its own entry");
  assert.equal(entries(dir).length, 3);
  assert.equal(run(file, dir).status, "hit");
});

test("an entry V8 refuses is replaced, and the script still runs", () => {
  const dir = join(work, "cache-c");
  const file = script("c.cjs", "3");
  run(file, dir);
  const [entry] = entries(dir);
  assert.ok(entry);
  writeFileSync(join(dir, entry), "not a code cache");
  assert.deepEqual(run(file, dir), { status: "rejected", output: { value: 3, filename: file, exportsSame: true, requires: "function" } });
  assert.notEqual(readFileSync(join(dir, entry), "utf8"), "not a code cache", "the refused entry was rewritten");
  assert.equal(run(file, dir).status, "hit");
});

test("a folder others may write to is not used at all; no folder turns the cache off", () => {
  const dir = join(work, "cache-d");
  mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o777);
  const file = script("d.cjs", "4");
  assert.equal(run(file, dir).status, "untrusted");
  assert.deepEqual(run(file, dir), { status: "untrusted", output: { value: 4, filename: file, exportsSame: true, requires: "function" } });
  assert.deepEqual(entries(dir), [], "nothing was written into it");
  assert.equal(run(file, undefined).status, "off");
});

test("the folder follows XDG_CACHE_HOME and HOME, and NODE_DISABLE_COMPILE_CACHE turns it off", () => {
  const cases: { env: Record<string, string>; expected: string | undefined }[] = [
    { env: { HOME: "/home/ops" }, expected: "/home/ops/.cache/rag-k8s/code" },
    { env: { HOME: "/home/ops", XDG_CACHE_HOME: "/var/cache/ops" }, expected: "/var/cache/ops/rag-k8s/code" },
    { env: { HOME: "/home/ops", NODE_DISABLE_COMPILE_CACHE: "1" }, expected: undefined },
  ];
  for (const { env, expected } of cases) assert.equal(codeCacheDir(env), expected, JSON.stringify(env));
});
