import assert from "node:assert/strict";
import { test } from "node:test";
import { OPTIONAL_PACKAGES, OptionalPackageMissingError, importOptional, requireOptional } from "../src/optional-package.js";
import type { OptionalPackage } from "../src/optional-package.js";

function moduleNotFound(code: string, name: string): Error {
  return Object.assign(new Error(`Cannot find package '${name}' imported from /x/dist/planner/llm/llama-cpp.js`), { code });
}

test("a missing add-on becomes an error that names the exact install command", async () => {
  for (const name of Object.keys(OPTIONAL_PACKAGES) as OptionalPackage[]) {
    const error = await importOptional(name, () => Promise.reject(moduleNotFound("ERR_MODULE_NOT_FOUND", name))).then(
      () => assert.fail("resolved"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof OptionalPackageMissingError);
    assert.equal(error.kind, "environment");
    assert.match(error.message, new RegExp(`npm install ${name.replace("/", "\\/")}@"\\^`));
    assert.ok(error.message.includes(OPTIONAL_PACKAGES[name].feature));
  }
});

test("other failures pass through unchanged: a broken add-on is not a missing one", async () => {
  const cases: [string, Error][] = [
    ["a missing dependency of the add-on", moduleNotFound("ERR_MODULE_NOT_FOUND", "some-transitive-dep")],
    ["a native load failure", Object.assign(new Error("libllama.so: cannot open shared object file"), { code: "ERR_DLOPEN_FAILED" })],
    ["an exception thrown while loading", new TypeError("boom")],
  ];
  for (const [label, failure] of cases) {
    await assert.rejects(importOptional("node-llama-cpp", () => Promise.reject(failure)), (e) => e === failure, label);
  }
});

test("requireOptional loads an installed add-on and names a missing one", () => {
  // The repository installs the add-ons as dev dependencies, so the real package must load.
  const hnswlib = requireOptional<{ HierarchicalNSW: unknown }>("hnswlib-node", import.meta.url);
  assert.equal(typeof hnswlib.HierarchicalNSW, "function");
  assert.throws(() => requireOptional("hnswlib-node", "file:///nonexistent-root/x.js"), OptionalPackageMissingError);
});
