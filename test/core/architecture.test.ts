import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "node:test";

const SRC = resolve("src");
const STAGES = ["cards", "retrieval", "planner", "policy", "executor", "audit", "config", "cache"];

/** Which top-level folders each folder may not import from (static or dynamic imports). */
const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  ...Object.fromEntries(STAGES.map((stage) => [stage, ["core", "app", "interfaces", "eval"]])),
  // Cards render commands for policy to judge; policy never needs cards (issue 12: they imported each other).
  policy: ["core", "app", "interfaces", "eval", "cards"],
  sandbox: ["core", "app", "interfaces", "eval"],
  core: ["app", "interfaces", "sandbox", "eval"],
  app: ["interfaces"],
};

/** Shared leaf modules every folder may import; they import no other folder of src/. */
const LEAVES = ["kube"];

function folderOf(file: string): string {
  return relative(SRC, file).split("/")[0] ?? "";
}

test("data flows one way: stages never import core/ or app/, core/ never imports sandbox/, only faces import interfaces/, kube/ imports nothing", () => {
  const violations: string[] = [];
  for (const entry of readdirSync(SRC, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".ts")) continue;
    const file = join(SRC, entry);
    const from = folderOf(file);
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/(?:from\s+|import\()\s*"(\.[^"]+)"/g)) {
      const target = folderOf(resolve(dirname(file), match[1] ?? ""));
      if (FORBIDDEN[from]?.includes(target)) violations.push(`${entry} imports ${match[1]}`);
      if (LEAVES.includes(from) && target !== from) violations.push(`${entry} imports ${match[1]} (a shared leaf imports no other module)`);
    }
  }
  assert.deepEqual(violations, []);
});
