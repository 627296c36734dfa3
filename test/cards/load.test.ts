import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CardLoadError, bundledCardsDir, loadCards, loadCardsSync } from "../../src/cards/index.js";
import { cardDir, cardYaml } from "./helpers.js";

async function loadError(dirs: string[]): Promise<CardLoadError> {
  try {
    await loadCards(dirs);
  } catch (err) {
    assert.ok(err instanceof CardLoadError, String(err));
    assert.throws(() => loadCardsSync(dirs), CardLoadError);
    return err;
  }
  assert.fail("loading succeeded");
}

test("bundledCardsDir finds the package's cards folder", () => {
  const dir = bundledCardsDir();
  assert.ok(readdirSync(dir).includes("deployment-restart.yaml"));
});

test("loadCards and loadCardsSync agree and index by id and source", async () => {
  const dir = cardDir({ "b.yaml": cardYaml("b-card"), "a.yml": cardYaml("a-card"), "notes.txt": "ignored" });
  const set = await loadCards([dir]);
  const sync = loadCardsSync([dir]);
  assert.deepEqual(set.cards.map((c) => c.id), ["a-card", "b-card"]);
  assert.equal(set.hash, sync.hash);
  assert.equal(set.sources.get("b-card"), join(dir, "b.yaml"));
  assert.equal(set.byId.get("a-card")?.parameters[0]?.required, true);
  assert.match(set.hash, /^[0-9a-f]{64}$/);
});

test("a schema error names the file, line and column of the offending field", async () => {
  const text = cardYaml("bad").replace("intent: list", "intent: explode").replace("    type: namespace", "    type: namespace\n    colour: red");
  const dir = cardDir({ "bad.yaml": text });
  const err = await loadError([dir]);
  const intent = err.problems.find((p) => p.message.startsWith("intent"));
  assert.deepEqual(intent && { file: intent.file, line: intent.line, column: intent.column }, { file: join(dir, "bad.yaml"), line: 3, column: 9 });
  const unknown = err.problems.find((p) => p.message.includes("colour"));
  assert.deepEqual(unknown && [unknown.line, unknown.column], [10, 5]);
  assert.match(err.message, /bad\.yaml:3:9: intent/);
});

test("a missing required field points at its parent mapping", async () => {
  const dir = cardDir({ "x.yaml": cardYaml("x").replace("title: List pods\n", "") });
  const err = await loadError([dir]);
  assert.equal(err.problems.length, 1);
  assert.deepEqual([err.problems[0]?.line, err.problems[0]?.column], [1, 1]);
  assert.match(err.problems[0]?.message ?? "", /^title: /);
});

test("YAML syntax errors, several documents and non-mappings are reported per file", async () => {
  const dir = cardDir({
    "syntax.yaml": "id: a\ntitle: [unclosed\n",
    "two.yaml": `${cardYaml("two")}---\n${cardYaml("three")}`,
    "list.yaml": "- id: a\n",
    "empty.yaml": "",
    "dupkey.yaml": cardYaml("dupkey").replace("risk_level: none", "risk_level: none\nrisk_level: low"),
  });
  const err = await loadError([dir]);
  const byFile = new Map(err.problems.map((p) => [p.file.split("/").at(-1), p]));
  assert.deepEqual([...byFile.keys()].sort(), ["dupkey.yaml", "empty.yaml", "list.yaml", "syntax.yaml", "two.yaml"]);
  assert.match(byFile.get("two.yaml")?.message ?? "", /one card per file/);
  assert.equal(byFile.get("two.yaml")?.line, 18);
  assert.match(byFile.get("list.yaml")?.message ?? "", /one YAML mapping/);
  assert.match(byFile.get("empty.yaml")?.message ?? "", /the file is empty/);
  assert.equal(byFile.get("dupkey.yaml")?.line, 6);
  assert.ok((byFile.get("syntax.yaml")?.line ?? 0) >= 2);
});

test("template problems found after the schema are located too", async () => {
  const dir = cardDir({ "t.yaml": cardYaml("t", "kubectl get pods -n {{namespace}} {{#all}}-A") });
  const err = await loadError([dir]);
  assert.equal(err.problems[0]?.line, 6);
  assert.match(err.problems[0]?.message ?? "", /never closed/);
});

test("duplicate ids within one directory are rejected, a missing directory too", async () => {
  const dir = cardDir({ "one.yaml": cardYaml("same"), "two.yaml": cardYaml("same") });
  const err = await loadError([dir, join(dir, "nope")]);
  assert.match(err.problems[0]?.message ?? "", /duplicate card id "same" \(also in .*one\.yaml\)/);
  assert.equal(err.problems[0]?.line, 1);
  assert.match(err.problems[1]?.message ?? "", /cannot read card directory/);
  assert.equal(err.problems[1]?.line, 0);
});

test("later directories override earlier ones by id and add new cards", async () => {
  const base = cardDir({ "a.yaml": cardYaml("a-card"), "b.yaml": cardYaml("b-card") });
  const user = cardDir({ "mine.yaml": cardYaml("a-card", "kubectl get pods -n {{namespace}} -o wide"), "c.yaml": cardYaml("c-card") });
  const set = await loadCards([base, user]);
  assert.deepEqual(set.cards.map((c) => c.id), ["a-card", "b-card", "c-card"]);
  assert.equal(set.byId.get("a-card")?.command_template, "kubectl get pods -n {{namespace}} -o wide");
  assert.equal(set.sources.get("a-card"), join(user, "mine.yaml"));
  const reversed = await loadCards([user, base]);
  assert.equal(reversed.byId.get("a-card")?.command_template, "kubectl get pods -n {{namespace}}");
  assert.notEqual(set.hash, reversed.hash);
});

test("the hash depends on card content only, not on file names, order or YAML layout", async () => {
  const bundled = bundledCardsDir();
  const files = readdirSync(bundled).filter((f) => f.endsWith(".yaml"));
  const original = await loadCards([bundled]);
  const renamed = cardDir(Object.fromEntries(files.map((f, i) => [`${String(files.length - i).padStart(3, "0")}.yaml`, readFileSync(join(bundled, f), "utf8")])));
  assert.equal((await loadCards([renamed])).hash, original.hash);
  const split = files.length >> 1;
  const first = cardDir(Object.fromEntries(files.slice(0, split).map((f) => [f, readFileSync(join(bundled, f), "utf8")])));
  const second = cardDir(Object.fromEntries(files.slice(split).map((f) => [f, readFileSync(join(bundled, f), "utf8")])));
  assert.equal((await loadCards([second, first])).hash, original.hash);

  const flowStyle = cardDir({ "a.yaml": cardYaml("a-card").replace("keywords: [pods]", "keywords:\n  - pods") });
  assert.equal((await loadCards([flowStyle])).hash, (await loadCards([cardDir({ "a.yaml": cardYaml("a-card") })])).hash);
  const edited = cardDir({ "a.yaml": cardYaml("a-card").replace("title: List pods", "title: List the pods") });
  assert.notEqual((await loadCards([edited])).hash, (await loadCards([cardDir({ "a.yaml": cardYaml("a-card") })])).hash);
});
