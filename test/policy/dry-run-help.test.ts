import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, realpathSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { describe, test } from "node:test";
import { REFUSED_WHOLE, VERBS } from "../../src/policy/spec.js";

/**
 * The `serverDryRun` column of the verb table, checked against kubectl's own help: a verb marked for server
 * dry-run must offer --dry-run, a mutating verb not marked must not (else the pipeline skips a dry-run it could
 * have done). Uses kubectl.1.31 (the version the table was written against), found beside the `kubectl` on
 * PATH; skipped where it is not there.
 */
function versionedKubectls(): string[] {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "kubectl");
    if (!dir || !existsSync(candidate)) continue;
    const home = dirname(realpathSync(candidate));
    const found = ["1.31"].map((v) => join(home, `kubectl.${v}`)).filter((p) => existsSync(p));
    if (found.length) return found;
  }
  return [];
}

const binaries = versionedKubectls();
/** Mutating kubectl verbs rag-k8s can run (verbs refused by name never reach a dry-run). */
const kubectlMutations = [...VERBS].filter(([verb, spec]) => !spec.readOnly && !verb.startsWith("flux ") && !REFUSED_WHOLE.has(verb));

describe("server dry-run support matches kubectl --help", { skip: binaries.length === 0 ? "no versioned kubectl binaries beside kubectl on PATH" : false }, () => {
  for (const binary of binaries) {
    for (const [verb, spec] of kubectlMutations) {
      test(`${binary.split("/").pop()} ${verb}`, () => {
        const help = spawnSync(binary, [...verb.split(" "), "--help"], { encoding: "utf8", timeout: 10_000 });
        assert.equal(help.status, 0, help.stderr);
        assert.equal(help.stdout.includes("--dry-run="), spec.serverDryRun, `${verb}: --dry-run in help`);
      });
    }
  }
});
