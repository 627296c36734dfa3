/**
 * src/kube is the one place that spells Kubernetes' vocabulary: these tests fail when another module grows its
 * own table of kubectl short names, its own DNS-1123 validators or its own kind list, and when the resource
 * table disagrees with the sandbox API server's discovery (which models a real server independently).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { RESOURCES as CARD_RESOURCES } from "../../src/cards/vocabulary.js";
import { API_RESOURCES, KINDS, ROLLOUT_KINDS, normalizeResource, resourceForms, resourceOf } from "../../src/kube/index.js";
import { CLUSTER_SCOPED, FLUX_KINDS, KNOWN_RESOURCES } from "../../src/policy/spec.js";
import { RESOURCES as SANDBOX_RESOURCES } from "../../src/sandbox/resources.js";

/** Source files outside src/kube; the sandbox emulates a server's discovery and is compared below instead. */
function sourcesOutsideKube(): { file: string; code: string }[] {
  return readdirSync("src", { recursive: true, encoding: "utf8" })
    .filter((entry) => entry.endsWith(".ts") && !entry.startsWith("kube/") && !entry.startsWith("sandbox/"))
    .map((entry) => ({ file: entry, code: stripComments(readFileSync(join("src", entry), "utf8")) }));
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** Short names that are also English words or suffixes other code matches for its own reasons. */
const ALSO_WORDS: ReadonlySet<string> = new Set(["no", "ing", "limits", "quota"]);

test("no module outside src/kube spells a kubectl short name", () => {
  const shortNames = [...API_RESOURCES.values()].flatMap((info) => info.short).filter((name) => !ALSO_WORDS.has(name));
  const found: string[] = [];
  for (const { file, code } of sourcesOutsideKube()) {
    for (const name of shortNames) if (new RegExp(`["'\`]${name}["'\`]`).test(code)) found.push(`${file}: "${name}"`);
  }
  assert.deepEqual(found, []);
});

test("no module outside src/kube defines DNS-1123 validators or a kind alias table", () => {
  const found: string[] = [];
  for (const { file, code } of sourcesOutsideKube()) {
    if (/function\s+isDns1123(Label|Subdomain)\b/.test(code)) found.push(`${file}: isDns1123*`);
    if (/const\s+DNS1123_(LABEL|SUBDOMAIN)\b/.test(code)) found.push(`${file}: DNS1123 pattern`);
    for (const { singular, plural } of API_RESOURCES.values()) {
      // A list that holds both spellings of a kind is an alias table (["sts", "statefulset", "statefulsets"]).
      if (singular !== plural && new RegExp(`\\[[^\\]]*"${singular}",[^\\]]*"${plural}"[^\\]]*\\]`).test(code)) found.push(`${file}: ${plural} aliases`);
    }
  }
  assert.deepEqual(found, []);
});

test("the resource table agrees with the sandbox API server's discovery: short names, groups, scope", () => {
  let compared = 0;
  for (const served of SANDBOX_RESOURCES) {
    const info = API_RESOURCES.get(served.resource);
    if (info === undefined || info.groups[0] !== served.group) continue;
    compared++;
    assert.deepEqual([...served.shortNames].sort(), [...info.short].sort(), served.resource);
    assert.equal(served.namespaced, info.namespaced, served.resource);
  }
  assert.ok(compared >= 15, `only ${compared} resources compared`);
});

test("every form reads back to its resource, once", () => {
  const seen = new Map<string, string>();
  for (const info of API_RESOURCES.values()) {
    for (const form of resourceForms(info)) {
      assert.equal(seen.get(form), undefined, `"${form}" names both ${seen.get(form)} and ${info.plural}`);
      seen.set(form, info.plural);
      assert.equal(resourceOf(form), info.plural);
      assert.equal(normalizeResource(form.toUpperCase()), info.plural);
      for (const group of info.groups) if (group !== "") assert.equal(normalizeResource(`${form}.v1.${group}`), info.plural);
    }
    assert.equal(normalizeResource(`${info.plural}.example.com`), `${info.plural}.example.com`, "another group is another resource");
  }
});

test("policy, cards and the goal vocabulary derive from the resource table", () => {
  assert.deepEqual([...CLUSTER_SCOPED].sort(), [...API_RESOURCES.values()].filter((i) => !i.namespaced).map((i) => i.plural).sort());
  assert.ok([...API_RESOURCES.keys()].every((plural) => KNOWN_RESOURCES.has(plural)));
  assert.equal(FLUX_KINDS.get("ks"), "kustomizations");
  assert.equal(FLUX_KINDS.get("hr"), "helmreleases");
  for (const kind of KINDS.values()) {
    const info = API_RESOURCES.get(kind.plural);
    assert.ok(info, kind.kind);
    assert.equal(kind.kind, info.singular);
    assert.equal(kind.short, info.short);
    assert.equal(kind.group, info.groups[0]);
    assert.equal(kind.namespaced, info.namespaced);
  }
  for (const resource of [...CARD_RESOURCES, ...ROLLOUT_KINDS]) assert.ok(KINDS.has(resource), `${resource} is not a kube kind`);
});
