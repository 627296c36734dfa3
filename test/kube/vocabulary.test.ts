import { test } from "node:test";
import assert from "node:assert/strict";
import { INTENTS as CARD_INTENTS } from "../../src/cards/vocabulary.js";
import { INTENTS, KINDS, VERB_REWRITES, isDns1123Label, isDns1123Subdomain, kindOf, kindOfInKubectlContext, quoteArg, unquoteTokens } from "../../src/kube/index.js";
import { SYNONYMS } from "../../src/retrieval/lexical/terms.js";

test("kindOf maps short names, plurals, group forms and spaced spellings to one kind", () => {
  const table: [string, string | undefined][] = [
    ["deploy", "deployment"],
    ["Deployments", "deployment"],
    ["deployments.apps", "deployment"],
    ["po", "pod"],
    ["sts", "statefulset"],
    ["ds", "daemonset"],
    ["cm", "configmap"],
    ["ns", "namespace"],
    ["ks", "kustomization"],
    ["kustomizations.kustomize.toolkit.fluxcd.io", "kustomization"],
    ["cj", "cronjob"],
    ["svc", "service"],
    ["hr", "helmrelease"],
    ["no", undefined], // an English word unless kubectl-shaped
    ["web", undefined],
  ];
  for (const [word, kind] of table) assert.equal(kindOf(word), kind, word);
  assert.equal(kindOfInKubectlContext("no"), "node");
});

test("cards, retrieval and the parser share one vocabulary", () => {
  assert.equal(CARD_INTENTS, INTENTS);
  for (const info of KINDS.values()) {
    for (const form of [info.kind, info.plural, ...info.short].filter((f) => f !== "no")) {
      assert.deepEqual(SYNONYMS.get(form), [info.kind], `retrieval reads ${form} as ${info.kind}`);
    }
  }
  for (const [slang, verb] of VERB_REWRITES) {
    assert.ok((INTENTS as readonly string[]).includes(verb), `${slang} → ${verb} is an intent`);
  }
});

test("DNS-1123 validators accept Kubernetes names and nothing else", () => {
  for (const ok of ["web", "web-1", "a", "0abc"]) assert.ok(isDns1123Label(ok), ok);
  for (const bad of ["Web", "-web", "web-", "wеb", "ｗｅｂ", "web\u200b", "a".repeat(64), "", "web.api"]) assert.ok(!isDns1123Label(bad), JSON.stringify(bad));
  assert.ok(isDns1123Subdomain("ip-10-0-1-12.ec2.internal"));
  assert.ok(!isDns1123Subdomain("../../etc"));
});

test("unquoteTokens removes quotes around plain tokens and keeps shell syntax visible", () => {
  const table: [string, string][] = [
    ['restart "web" in "prod"', "restart web in prod"],
    ["restart 'web' in 'prod'", "restart web in prod"],
    ["restart `web` -n `staging`", "restart web -n staging"],
    ["restart “web” now", "restart web now"],
    ["restart `id -u` now", "restart `id -u` now"],
    ["restart `$(id)` now", "restart `$(id)` now"],
    ['restart "$(id)" now', 'restart "$(id)" now'],
    ["it's fine", "it's fine"],
  ];
  for (const [input, output] of table) assert.equal(unquoteTokens(input), output, input);
});

test("quoteArg leaves plain words and quotes the rest, empty included", () => {
  assert.equal(quoteArg("app=web"), "app=web");
  assert.equal(quoteArg("a b"), "'a b'");
  assert.equal(quoteArg("it's"), "'it'\\''s'");
  assert.equal(quoteArg(""), "''");
});
