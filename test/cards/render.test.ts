import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CardRenderError, bundledCardsDir, loadCardsSync, renderCard } from "../../src/cards/index.js";
import type { ParameterValues } from "../../src/cards/index.js";
import { card } from "./helpers.js";

const bundled = loadCardsSync([bundledCardsDir()]);
const get = (id: string) => {
  const c = bundled.byId.get(id);
  assert.ok(c, id);
  return c;
};

function renderError(fn: () => unknown): CardRenderError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof CardRenderError, `expected CardRenderError, got ${String(err)}`);
    return err;
  }
  assert.fail("rendering succeeded");
}

const HOSTILE = [
  "a;rm -rf /",
  "$(id)",
  "`id`",
  "--kubeconfig=/x",
  "-n",
  "-A",
  "web\nkubectl delete ns prod",
  "web\r",
  "web\u0000",
  "wеb", // Cyrillic "е"
  "ｗｅｂ", // full-width
  "web\u200b", // zero-width space
  "a".repeat(300),
  "web prod",
  "Web",
  "../etc",
  "web/x",
  "",
];

test("hostile names and namespaces are rejected with CardRenderError naming the parameter", () => {
  const restart = get("deployment-restart");
  for (const value of HOSTILE.filter((v) => v !== "")) {
    for (const key of ["name", "namespace"]) {
      const values = { name: "web", namespace: "shop", [key]: value };
      const err = renderError(() => renderCard(restart, values));
      assert.deepEqual(err.invalid.map((i) => i.name), [key], JSON.stringify(value));
      assert.match(err.message, new RegExp(`"${key}"`));
    }
  }
  // An empty value counts as absent, so a required parameter is reported missing.
  assert.deepEqual(renderError(() => renderCard(restart, { name: "", namespace: "shop" })).missing, ["name"]);
});

test("hostile selectors are rejected", () => {
  const logs = get("pod-logs-by-selector");
  for (const selector of ["app=web;id", "app=$(id)", "-l", "--all-namespaces", "app=web\nx", "app=wеb", "app in (a", "=web", "app=web,,x"]) {
    const err = renderError(() => renderCard(logs, { namespace: "shop", selector }));
    assert.deepEqual(err.invalid.map((i) => i.name), ["selector"], selector);
  }
});

test("errors list every missing and invalid parameter, with valid values in the message", () => {
  const phase = get("pods-list-by-phase");
  const err = renderError(() => renderCard(phase, { phase: "Crashing", extra: "x" }));
  assert.deepEqual(err.missing, ["namespace"]);
  assert.deepEqual(err.invalid.map((i) => i.name).sort(), ["extra", "phase"]);
  assert.match(err.message, /Pending, Running, Succeeded, Failed, Unknown/);
  assert.match(err.message, /"extra" is not a parameter of this card \(parameters: namespace, phase\)/);
  assert.equal(err.cardId, "pods-list-by-phase");
});

test("integers are range-checked and strings of digits accepted", () => {
  const scale = get("deployment-scale");
  assert.deepEqual(renderCard(scale, { name: "web", namespace: "shop", replicas: "3" }).steps, [
    ["kubectl", "scale", "deployment/web", "-n", "shop", "--replicas=3"],
  ]);
  for (const replicas of [-1, 501, 2.5, "3x", "1e3", true]) {
    const err = renderError(() => renderCard(scale, { name: "web", namespace: "shop", replicas }));
    assert.deepEqual(err.invalid.map((i) => i.name), ["replicas"], String(replicas));
  }
  assert.match(renderError(() => renderCard(scale, { name: "web", namespace: "shop", replicas: 900 })).message, /from 0 to 500/);
});

test("durations and booleans are checked", () => {
  const logs = get("pod-logs");
  for (const since of ["5", "5 m", "5min", "-5m", "5m;id"]) {
    assert.deepEqual(renderError(() => renderCard(logs, { name: "web", namespace: "shop", since })).invalid.map((i) => i.name), ["since"], since);
  }
  assert.deepEqual(renderError(() => renderCard(logs, { name: "web", namespace: "shop", previous: "yes" })).invalid.map((i) => i.name), ["previous"]);
  assert.deepEqual(renderCard(logs, { name: "web", namespace: "shop", previous: "true", since: "1h30m" }).steps[0], [
    "kubectl", "logs", "web", "-n", "shop", "--tail=200", "--since=1h30m", "--previous",
  ]);
});

test("sections render only when their value is present, booleans only when true", () => {
  const logs = get("pod-logs");
  const base = { name: "web-0", namespace: "shop" };
  assert.deepEqual(renderCard(logs, base).commands, ["kubectl logs web-0 -n shop --tail=200"]);
  assert.deepEqual(renderCard(logs, { ...base, previous: false }).commands, ["kubectl logs web-0 -n shop --tail=200"]);
  assert.deepEqual(renderCard(logs, { ...base, previous: true, container: "app", tail: 5 }).commands, [
    "kubectl logs web-0 -n shop --tail=5 --container=app --previous",
  ]);
  const events = get("events-for-object");
  assert.deepEqual(renderCard(events, { namespace: "shop", name: "web" }).steps[0]?.[5], "--field-selector=involvedObject.name=web");
  assert.deepEqual(renderCard(events, { namespace: "shop", name: "web", kind: "Pod" }).steps[0]?.[5], "--field-selector=involvedObject.kind=Pod,involvedObject.name=web");
});

test("a section spanning tokens keeps a flag and its value as two argv elements", () => {
  const top = get("pods-top");
  assert.deepEqual(renderCard(top, { namespace: "shop", selector: "tier in (api,worker)" }).steps[0], [
    "kubectl", "top", "pod", "-n", "shop", "-l", "tier in (api,worker)",
  ]);
  assert.deepEqual(renderCard(top, { namespace: "shop" }).steps[0], ["kubectl", "top", "pod", "-n", "shop"]);
});

test("multi-step cards render every step in order with the same values", () => {
  const out = renderCard(get("pod-crashloop-diagnose"), { name: "api-1", namespace: "prod", container: "app" });
  assert.deepEqual(out.commands, [
    "kubectl describe pod api-1 -n prod",
    "kubectl logs api-1 -n prod --previous --tail=100 --container=app",
    "kubectl get events -n prod --field-selector=involvedObject.kind=Pod,involvedObject.name=api-1 --sort-by=.lastTimestamp",
  ]);
  assert.deepEqual(out.values, { name: "api-1", namespace: "prod", tail: 100, container: "app" });
});

test("a value may not begin an argv element with '-', even when its type allows it", () => {
  const c = card({
    command_template: "kubectl get pods --tail {{count}} -l {{sel}}",
    parameters: [
      { name: "count", type: "integer", required: true, description: "n" },
      { name: "sel", type: "selector", required: true, description: "s" },
    ],
  });
  assert.deepEqual(renderCard(c, { count: 3, sel: "!canary" }).steps[0], ["kubectl", "get", "pods", "--tail", "3", "-l", "!canary"]);
  const err = renderError(() => renderCard(c, { count: -3, sel: "a" }));
  assert.deepEqual(err.invalid.map((i) => i.name), ["count"]);
  assert.match(err.message, /kubectl reads as a flag/);
});

test("{{now}} accepts only an RFC 3339 UTC override and rejects unknown keys elsewhere", () => {
  const c = get("kustomization-reconcile-kubectl");
  const fixed = { name: "apps", namespace: "flux-system", now: "2024-05-01T12:00:00Z" };
  assert.equal(renderCard(c, fixed).steps[0]?.at(-1), "reconcile.fluxcd.io/requestedAt=2024-05-01T12:00:00Z");
  assert.deepEqual(renderError(() => renderCard(c, { ...fixed, now: "yesterday" })).invalid.map((i) => i.name), ["now"]);
  assert.deepEqual(renderError(() => renderCard(get("deployment-restart"), { name: "a", namespace: "b", now: "2024-05-01T12:00:00Z" })).invalid.map((i) => i.name), ["now"]);
});

test("string parameters apply pattern and enum", () => {
  const rerun = get("job-rerun");
  assert.deepEqual(renderCard(rerun, { name: "nightly", namespace: "ops", suffix: "a7" }).steps[0], [
    "kubectl", "create", "job", "nightly-rerun-a7", "--from=cronjob/nightly", "-n", "ops",
  ]);
  for (const suffix of ["", "toolong", "A1", "a-1", "1;x"]) {
    const err = renderError(() => renderCard(rerun, { name: "nightly", namespace: "ops", suffix }));
    assert.ok(err.missing.includes("suffix") || err.invalid.some((i) => i.name === "suffix"), suffix);
  }
  assert.deepEqual(renderError(() => renderCard(rerun, { name: "a".repeat(53), namespace: "ops", suffix: "1" })).invalid.map((i) => i.name), ["name"]);
});

test("property: arbitrary values never add argv elements or start one with '-'", () => {
  const cards = bundled.cards.filter((c) => c.parameters.length > 0);
  const valueArb = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 40 }),
    fc.string({ maxLength: 40 }).map((s) => `-${s}`),
    fc.constantFrom("web", "shop", "app=web", "5m", "3", "true", "Pending", "cpu", "1"),
    fc.integer({ min: -10, max: 20000 }),
    fc.boolean(),
  );
  fc.assert(
    fc.property(fc.constantFrom(...cards), fc.array(valueArb, { minLength: 6, maxLength: 6 }), (c, raw) => {
      const values: ParameterValues = Object.fromEntries(c.parameters.map((p, i) => [p.name, raw[i % raw.length]]));
      let steps: readonly (readonly string[])[];
      try {
        steps = renderCard(c, values).steps;
      } catch (err) {
        assert.ok(err instanceof CardRenderError);
        return;
      }
      const templates = typeof c.command_template === "string" ? [c.command_template] : c.command_template;
      steps.forEach((argv, i) => {
        const templateTokens = (templates[i] ?? "").split(/\s+/).filter(Boolean);
        assert.ok(argv.length <= templateTokens.length);
        for (const arg of argv) {
          assert.doesNotMatch(arg, /\p{Cc}/u);
          if (arg.startsWith("-")) assert.ok(templateTokens.some((t) => t.startsWith("-") || t.startsWith("{{#")), arg);
        }
      });
      const flat = steps.flat();
      for (const [name, value] of Object.entries(values)) {
        if (typeof value === "string" && value.startsWith("-")) assert.ok(!flat.includes(value), `${name}=${value} became an argument`);
      }
    }),
    { numRuns: 2000 },
  );
});
