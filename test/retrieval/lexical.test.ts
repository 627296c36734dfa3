import assert from "node:assert/strict";
import { test } from "node:test";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { LexicalIndex } from "../../src/retrieval/index.js";
import { QueryAnalyzer, analyze, corpusVocabulary } from "../../src/retrieval/lexical/analyzer.js";
import { stem } from "../../src/retrieval/lexical/stem.js";
import { TypoCorrector, withinOneEdit } from "../../src/retrieval/lexical/typo.js";
import { labelledQueries, measure } from "./labelled.js";

const cards = loadCardsSync([bundledCardsDir()]);
const index = LexicalIndex.build(cards.cards);

test("kubectl short names, plurals and group-qualified kinds map to one kind", () => {
  const cases: [string, string][] = [
    ["deploy", "deployment"],
    ["deployments", "deployment"],
    ["deploy.apps", "deployment"],
    ["deployments.apps/web", "deployment"],
    ["po", "pod"],
    ["pods", "pod"],
    ["sts", "statefulset"],
    ["stateful set", "statefulset"],
    ["ds", "daemonset"],
    ["ns", "namespace"],
    ["cm", "configmap"],
    ["config maps", "configmap"],
    ["ks", "kustomization"],
    ["kustomizations.kustomize.toolkit.fluxcd.io", "kustomization"],
    ["ev", "event"],
    ["svc", "service"],
    ["cj", "cronjob"],
  ];
  for (const [text, kind] of cases) assert.deepEqual(analyze(text), [kind], text);
});

test('"no" means node only where kubectl syntax says so', () => {
  assert.deepEqual(analyze("get no"), ["list", "node"]);
  assert.deepEqual(analyze("describe no/worker-1"), ["describe", "node"]);
  assert.ok(!analyze("no pods are running").includes("node"));
});

test("slang, symptoms and verb forms map to canonical terms", () => {
  const cases: [string, string][] = [
    ["bounce", "restart"],
    ["recycle", "restart"],
    ["kick", "restart"],
    ["reboot", "restart"],
    ["bouncing", "restart"],
    ["crashloopbackoff", "crashloop"],
    ["crashing", "crashloop"],
    ["keeps crashing", "crashloop"],
    ["crash-loop", "crashloop"],
    ["errimagepull", "imagepull"],
    ["imagepullbackoff", "imagepull"],
    ["tail", "follow"],
    ["roll back", "undo"],
    ["revert", "undo"],
    ["mark unschedulable", "cordon"],
    ["evict", "drain"],
    ["resync", "reconcile"],
    ["unpause", "resume"],
    ["run again", "rerun"],
  ];
  for (const [text, term] of cases) assert.deepEqual(analyze(text), [term], text);
});

test("light stemming joins inflections without over-conflating", () => {
  assert.equal(stem("scaling"), stem("scale"));
  assert.equal(stem("scaled"), stem("scale"));
  assert.equal(stem("restarted"), "restart");
  assert.equal(stem("services"), stem("service"));
  assert.equal(stem("running"), "run");
  assert.equal(stem("pulling"), "pull");
  assert.equal(stem("status"), "status");
  assert.notEqual(stem("node"), stem("nod"));
});

test("object names in kind/name and hyphenated names weigh little or nothing", () => {
  const analyzer = new QueryAnalyzer(corpusVocabulary([]));
  const terms = analyzer.analyze("logs deploy/checkout-api in node-exporter");
  assert.equal(terms.get("deployment"), 1);
  assert.equal(terms.has("checkout"), false, "the name after kind/ is dropped");
  assert.ok((terms.get("node") ?? 0) < 0.5, "the 'node' in node-exporter is a name part");
});

test('"without X" drops X', () => {
  assert.deepEqual(analyze("cordon without draining"), ["cordon"]);
});

test("typos within one edit are corrected against the card vocabulary", () => {
  assert.deepEqual(index.terms("restrat deplyment web"), ["restart", "deployment", "web"]);
  assert.deepEqual(index.terms("crashloopbackof"), ["crashloop"]);
  assert.deepEqual(index.terms("pod lgos"), ["pod", "log"], "four-letter words: transpositions only");
  assert.deepEqual(index.terms("uncordn"), ["uncordon"]);
});

test("typo corrector: one edit at most, deterministic ties, short words left alone", () => {
  assert.ok(withinOneEdit("restart", "restrat"));
  assert.ok(withinOneEdit("restart", "restar"));
  assert.ok(withinOneEdit("restart", "restarts"));
  assert.ok(withinOneEdit("restart", "rextart"));
  assert.ok(!withinOneEdit("restart", "rsetrat"));
  assert.ok(!withinOneEdit("drain", "strain1"));
  const corrector = new TypoCorrector(new Map([["cordon", 3], ["corden", 1], ["logs", 1]]), 5);
  assert.equal(corrector.correct("cordan"), "cordon", "the more frequent word wins a tie");
  assert.equal(corrector.correct("lgos"), "logs");
  assert.equal(corrector.correct("lops"), undefined, "no substitutions in four-letter words");
  assert.equal(corrector.correct("xyzzyq"), undefined);
});

test("search ranks by score, breaks ties by card order and returns nothing for unknown words", () => {
  const hits = index.search("bounce the web deployment", 4);
  assert.equal(hits[0]?.id, "deployment-restart");
  for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1]!.score >= hits[i]!.score);
  assert.deepEqual(index.search("zzzz qqqq"), []);
});

test(`labelled queries: lexical top-1 ≥ 90% and recall@4 ≥ 98% (${labelledQueries().length} queries)`, async () => {
  const quality = await measure((query) => index.search(query, 4).map((h) => h.id));
  const report = `top-1 ${(quality.top1 * 100).toFixed(1)}%, recall@4 ${(quality.recallAt4 * 100).toFixed(1)}%\n  ${quality.misses.join("\n  ")}`;
  assert.ok(quality.top1 >= 0.9, report);
  assert.ok(quality.recallAt4 >= 0.98, report);
});

test("the labelled set covers every bundled card and only real ones", () => {
  const expected = new Set(labelledQueries().map((q) => q.expected));
  for (const id of expected) assert.ok(cards.byId.has(id), `queries.jsonl names unknown card ${id}`);
  const uncovered = cards.cards.map((c) => c.id).filter((id) => !expected.has(id));
  assert.deepEqual(uncovered, [], "every card needs labelled queries");
});
