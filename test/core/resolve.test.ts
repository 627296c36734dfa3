import assert from "node:assert/strict";
import { test } from "node:test";
import { describePods, newestReadyPod, parsePodRows } from "../../src/core/resolve/pods.js";
import { SelectorError, selectorString } from "../../src/core/resolve/selector.js";

test("selectorString: matchLabels (sorted) and every matchExpressions operator", () => {
  assert.equal(selectorString({ matchLabels: { tier: "web", app: "shop" } }), "app=shop,tier=web");
  assert.equal(
    selectorString({
      matchLabels: { app: "shop" },
      matchExpressions: [
        { key: "track", operator: "In", values: ["stable", "canary"] },
        { key: "env", operator: "NotIn", values: ["dev"] },
        { key: "example.com/managed", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    }),
    "app=shop,track in (stable,canary),env notin (dev),example.com/managed,!legacy",
  );
});

test("selectorString refuses empty, malformed and hostile selectors", () => {
  for (const raw of [{}, { matchLabels: {} }, null, "app=web", { matchLabels: { app: "web,all" } }, { matchLabels: { app: "web --all-namespaces" } }, { matchExpressions: [{ key: "a", operator: "In", values: [] }] }]) {
    assert.throws(() => selectorString(raw), SelectorError, JSON.stringify(raw));
  }
});

const row = (name: string, created: string, deleting: string, phase: string, types: string, statuses: string, waiting: string) =>
  [name, created, deleting, phase, types, statuses, waiting].join("   ");

test("parsePodRows + newestReadyPod: newest Ready, not terminating; ties go to the first name", () => {
  const rows = parsePodRows(
    [
      row("web-a", "2026-01-01T10:00:00Z", "<none>", "Running", "Initialized,Ready", "True,True", "<none>"),
      row("web-c", "2026-01-01T11:00:00Z", "<none>", "Running", "Initialized,Ready", "True,True", "<none>"),
      row("web-b", "2026-01-01T11:00:00Z", "<none>", "Running", "Initialized,Ready", "True,True", "<none>"),
      row("web-d", "2026-01-01T12:00:00Z", "<none>", "Running", "Initialized,Ready", "True,False", "CrashLoopBackOff"),
      row("web-e", "2026-01-01T13:00:00Z", "2026-01-01T13:05:00Z", "Running", "Ready", "True", "<none>"),
      row("web-f", "2026-01-01T14:00:00Z", "<none>", "Pending", "<none>", "<none>", "<none>"),
      "",
    ].join("\n"),
  );
  assert.equal(rows.length, 6);
  assert.equal(newestReadyPod(rows)?.name, "web-b");
  assert.equal(newestReadyPod(rows.filter((r) => r.name === "web-d" || r.name === "web-f")), undefined);
  assert.equal(describePods(rows.filter((r) => ["web-d", "web-e", "web-f"].includes(r.name))), "web-d (Running, not ready: CrashLoopBackOff), web-e (terminating), web-f (Pending, not ready)");
});

test("parsePodRows refuses the whole list for any row that is not what kubectl prints for a real pod", () => {
  const good = row("web-a", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready", "True", "<none>");
  for (const bad of [
    row("Web_A", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready", "True", "<none>"),
    row("-web", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready", "True", "<none>"),
    `web-a --all-namespaces ${row("x", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready", "True", "<none>")}`,
    row("web-a", "yesterday", "<none>", "Running", "Ready", "True", "<none>"),
    row("web-a", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready,Initialized", "True", "<none>"),
    row("web-a", "2026-01-01T10:00:00Z", "<none>", "Running", "Ready", "Yes", "<none>"),
    row("web-a", "2026-01-01T10:00:00Z", "<none>", "Run;ning", "Ready", "True", "<none>"),
  ]) {
    assert.throws(() => parsePodRows(`${good}\n${bad}\n`), /refused the pod list the API returned: line 2/, bad);
  }
});
