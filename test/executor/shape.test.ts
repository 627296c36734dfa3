import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectKind, MARK, shapeOutput } from "../../src/executor/shape/index.js";
import type { OutputKind } from "../../src/executor/shape/index.js";

/** A table aligned the way kubectl's tabwriter prints it (columns three spaces apart). */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows.map((r) => r.map((v, c) => (c === r.length - 1 ? v : v.padEnd((widths[c] ?? 0) + 3))).join("")).join("\n") + "\n";
}

function events(count: number, warningAt: readonly number[]): string {
  const rows = [["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]];
  for (let i = 0; i < count; i++) {
    const warning = warningAt.includes(i);
    // Printed oldest first, as --sort-by=.lastTimestamp does: row i is (count - i) minutes old.
    rows.push([`${count - i}m`, warning ? "Warning" : "Normal", warning ? "BackOff" : "Pulled", `pod/web-${i}`, warning ? `Back-off restarting failed container web-${i}` : `Container image "web:${i}" already present on machine`]);
  }
  return table(rows);
}

const markers = (text: string): string[] => text.split("\n").filter((l) => l.startsWith(MARK));

describe("shapeOutput", () => {
  describe("leaves output that fits untouched", () => {
    const cases: [OutputKind, string][] = [
      ["events", events(3, [1])],
      ["table", table([["NAME", "READY"], ["web-1", "1/1"]])],
      ["logs", "a\nb\n"],
      ["describe", "Name:  web\nEvents:  <none>\n"],
      ["json", '{"a": 1}\n'],
      ["text", ""],
    ];
    for (const [kind, text] of cases) {
      it(kind, () => assert.deepEqual(shapeOutput(text, { budgetChars: 4000, kind }), { text, kind, truncated: false, omitted: null }));
    }
  });

  describe("events", () => {
    it("keeps every Warning before any Normal event, prints the kept ones newest first, and says what it cut", () => {
      const text = events(200, [3, 50, 120]);
      const out = shapeOutput(text, { budgetChars: 1500, argv: ["kubectl", "get", "events", "-n", "shop", "--sort-by=.lastTimestamp"] });
      assert.equal(out.kind, "events");
      assert.ok(out.text.length <= 1500);
      const rows = out.text.split("\n").slice(1).filter((l) => !l.startsWith(MARK));
      for (const i of [3, 50, 120]) assert.ok(rows.some((r) => r.includes(`pod/web-${i} `)), `warning ${i} kept`);
      const ages = rows.map((r) => Number.parseInt(r, 10));
      assert.deepEqual(ages, [...ages].sort((a, b) => a - b), "newest first");
      assert.ok(rows.filter((r) => r.includes("Normal")).every((r) => Number.parseInt(r, 10) <= 200 - 120), "the Normal events kept are the newest");
      assert.equal(out.omitted?.unit, "events");
      assert.equal(out.omitted?.detail?.["Warning"], undefined);
      assert.match(markers(out.text)[0] ?? "", new RegExp(`^… ${out.omitted?.count} of 200 events not shown \\(${out.omitted?.count} Normal\\)`));
    });

    it("never drops a Warning that fits, at any budget", () => {
      const warnings = [0, 7, 13, 99, 140, 199];
      const text = events(200, warnings);
      for (let budget = 250; budget <= 5000; budget += 173) {
        const out = shapeOutput(text, { budgetChars: budget, kind: "events" });
        assert.ok(out.text.length <= budget, `within ${budget}`);
        const kept = out.text.split("\n").filter((l) => !l.startsWith(MARK) && l.includes("Warning")).length;
        const normal = out.text.split("\n").filter((l) => / Normal /.test(l)).length;
        if (normal > 0) assert.equal(kept, warnings.length, `all warnings before any Normal at ${budget}`);
        assert.equal((out.omitted?.detail?.["Warning"] ?? 0) + kept, warnings.length);
      }
    });

    it("reads the Events section of describe the same way", () => {
      const rows = [["Type", "Reason", "Age", "From", "Message"], ["----", "------", "----", "----", "-------"]];
      for (let i = 0; i < 80; i++) rows.push([i === 5 ? "Warning" : "Normal", i === 5 ? "FailedMount" : "Pulled", `${90 - i}m`, "kubelet", `message number ${i} with some words in it`]);
      const section = table(rows).split("\n").map((l) => (l ? `  ${l}` : l)).join("\n");
      const text = `Name:         web-0\nNamespace:    shop\nStatus:       Running\nLabels:       app=web\n              tier=web\nSystem Info:\n  Machine ID:  ${"x".repeat(900)}\nEvents:\n${section}`;
      const out = shapeOutput(text, { budgetChars: 1200, argv: ["kubectl", "describe", "pod", "web-0", "-n", "shop"] });
      assert.equal(out.kind, "describe");
      assert.ok(out.text.length <= 1200);
      assert.match(out.text, /^Name:\s+web-0$/m);
      assert.match(out.text, /^Events:$/m);
      assert.match(out.text, /Warning\s+FailedMount/);
      assert.match(out.text, /… \d+ of 80 events not shown \(\d+ Normal\)/);
      assert.match(out.text, /… 1 of \d+ sections not shown \(System Info\)/);
    });
  });

  describe("tables keep the header and the problem rows first", () => {
    const problems: [string, string[][], string][] = [
      ["pods", [["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ["api-1", "0/1", "CrashLoopBackOff", "7 (2m ago)", "1h"], ["db-1", "1/1", "Running", "3 (1h ago)", "1h"], ["job-1", "0/1", "Pending", "0", "1h"]], "Running"],
      ["nodes", [["NAME", "STATUS", "ROLES", "AGE", "VERSION"], ["worker-8", "NotReady", "worker", "1d", "v1.31.0"], ["worker-9", "Ready,SchedulingDisabled", "worker", "1d", "v1.31.0"]], "Ready"],
      ["deployments", [["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], ["checkout", "3/4", "2", "3", "50d"]], "4/4"],
      ["daemonsets", [["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"], ["fluent-bit", "4", "4", "3", "4", "3", "<none>", "9d"]], "<none>"],
      ["kustomizations", [["NAME", "AGE", "READY", "STATUS"], ["apps", "9d", "False", "Source artifact not found, retrying in 30s"]], "True"],
      ["jobs", [["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], ["import-orders", "Failed", "0/1", "45m", "45m"]], "Complete"],
    ];
    for (const [name, rows, healthyMark] of problems) {
      it(name, () => {
        const [header = [], ...bad] = rows;
        const healthy: string[][] = [];
        for (let i = 0; i < 120; i++) {
          const template = [...(bad[0] ?? [])];
          template[0] = `healthy-${i}`;
          healthy.push(template.map((v, c) => (c === 0 ? v : healthyValue(header[c] ?? "", v, healthyMark))));
        }
        // Problem rows last, so a head cut would lose them.
        const text = table([header, ...healthy, ...bad]);
        const out = shapeOutput(text, { budgetChars: 900, argv: ["kubectl", "get", name] });
        assert.equal(out.kind, "table");
        assert.ok(out.text.length <= 900);
        assert.ok(out.text.startsWith(text.split("\n")[0] ?? "?"), "header first");
        for (const row of bad) assert.ok(out.text.includes(row[0] ?? "?"), `${row[0]} kept`);
        assert.equal(out.omitted?.detail?.["with problems"], undefined);
        assert.match(markers(out.text)[0] ?? "", /^… \d+ of \d+ rows not shown \(\d+ healthy\); narrow with -l/);
      });
    }

    it("keeps each table's header in a listing of several kinds", () => {
      const pods = table([["NAME", "READY", "STATUS", "RESTARTS", "AGE"], ...Array.from({ length: 60 }, (_, i) => [`pod/web-${i}`, "1/1", "Running", "0", "1h"]), ["pod/api-0", "0/1", "Error", "0", "1h"]]);
      const deployments = table([["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], ["deployment.apps/api", "0/1", "1", "0", "1h"], ["deployment.apps/web", "60/60", "60", "60", "1h"]]);
      const out = shapeOutput(`${pods}\n${deployments}`, { budgetChars: 700, argv: ["kubectl", "get", "pods,deployments", "-n", "shop"] });
      assert.ok(out.text.length <= 700);
      assert.match(out.text, /pod\/api-0/);
      assert.match(out.text, /^NAME\s+READY\s+UP-TO-DATE/m);
      assert.match(out.text, /deployment\.apps\/api/);
    });
  });

  it("describe of many objects keeps the ones with Warning events first, in kubectl's order", () => {
    const object = (name: string, warning: boolean) =>
      `Name:         ${name}\nNamespace:    shop\nStatus:       Running\nEvents:\n  Type    Reason   Age   From      Message\n  ----    ------   ----  ----      -------\n  ${warning ? "Warning  BackOff" : "Normal   Pulled "}  5m    kubelet   ${"m".repeat(40)}\n`;
    const text = Array.from({ length: 20 }, (_, i) => object(`web-${i}`, i === 4 || i === 17)).join("\n");
    const out = shapeOutput(text, { budgetChars: 1300, argv: ["kubectl", "describe", "pods", "-n", "shop", "-l", "app=web"] });
    assert.ok(out.text.length <= 1300);
    const names = [...out.text.matchAll(/^Name:\s+(\S+)$/gm)].map((m) => m[1]);
    assert.deepEqual(names, ["web-4", "web-17"]);
    assert.match(out.text, /… 18 more of 20 objects not shown \(those with Warning events kept first\)/);
    assert.deepEqual(out.omitted, { unit: "objects", count: 18, of: 20 });
  });

  it("logs keep their tail", () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${i}`).join("\n") + "\n";
    const out = shapeOutput(text, { budgetChars: 300, argv: ["kubectl", "logs", "web-0", "-n", "shop"] });
    assert.equal(out.kind, "logs");
    assert.ok(out.text.length <= 300);
    assert.match(out.text, /^… \d+ earlier lines not shown \(of 500\); ask with --since or --tail\n/);
    assert.ok(out.text.endsWith("line 499"));
    assert.equal(out.omitted?.unit, "lines");
  });

  describe("documents keep their head with a marker", () => {
    const cases: [string, string[], string, RegExp][] = [
      ["json", ["kubectl", "get", "pods", "-o", "json"], `{\n${'  "k": "v",\n'.repeat(400)}}\n`, /select fields with -o jsonpath/],
      ["yaml", ["kubectl", "get", "pods", "-oyaml"], `apiVersion: v1\n${"- name: x\n".repeat(400)}`, /select fields with -o jsonpath/],
      ["text", ["kubectl", "get", "pods", "-o", "name"], "pod/x\n".repeat(400), /narrow the request/],
    ];
    for (const [kind, argv, text, hint] of cases) {
      it(kind, () => {
        const out = shapeOutput(text, { budgetChars: 500, argv });
        assert.equal(out.kind, kind);
        assert.ok(out.text.length <= 500);
        assert.ok(text.startsWith(out.text.split(`\n${MARK}`)[0] ?? "?"), "a head of the text, cut at a line end");
        assert.match(out.text, hint);
        assert.equal(out.omitted?.unit, "characters");
      });
    }
  });

  describe("never exceeds the budget on awkward input", () => {
    const inputs: [string, string][] = [
      ["one enormous line", "x".repeat(50_000)],
      ["emoji only", "😀".repeat(5000)],
      ["a table whose header alone is over budget", `${"NAME   ".repeat(100)}\n${"x   ".repeat(100)}\n`],
      ["describe with thousands of objects", "Name:   a\nEvents:  <none>\n\n".repeat(2000)],
      ["events whose rows are all longer than the budget", events(30, [1, 2]).replace(/Back-off/g, "B".repeat(3000))],
    ];
    for (const [name, text] of inputs) {
      for (const budget of [1, 50, 199, 200, 1000]) {
        it(`${name} at ${budget}`, () => {
          const out = shapeOutput(text, { budgetChars: budget });
          assert.ok(out.text.length <= budget, `${out.text.length} > ${budget}`);
          assert.equal(out.truncated, true);
        });
      }
    }
  });

  it("says when the capture skipped the middle", () => {
    const out = shapeOutput("a\nb\n", { budgetChars: 4000, kind: "logs", uncapturedChars: 123_456 });
    assert.equal(out.truncated, true);
    assert.match(out.text, /^a\nb\n… 123,456 characters in the middle of the output were not kept$/);
  });

  describe("detectKind", () => {
    const cases: [string[] | undefined, string, OutputKind][] = [
      [["kubectl", "--context", "x", "get", "events", "-A"], "", "events"],
      [["kubectl", "get", "ev", "-n", "prod"], "", "events"],
      [["kubectl", "get", "-n", "events", "pods"], "", "table"],
      [["kubectl", "get", "--field-selector", "type=Warning", "events"], "", "events"],
      [["kubectl", "events", "-n", "prod"], "", "events"],
      [["kubectl", "get", "pods", "-o", "wide"], "", "table"],
      [["kubectl", "get", "pods", "--output=json"], "", "json"],
      [["kubectl", "get", "pods", "-o=jsonpath={.items}"], "", "text"],
      [["kubectl", "logs", "deploy/web", "--tail=20"], "", "logs"],
      [["kubectl", "rollout", "status", "deployment/web"], "", "logs"],
      [["kubectl", "rollout", "history", "deployment/web"], "", "table"],
      [["kubectl", "describe", "node", "worker-1"], "", "describe"],
      [["flux", "get", "kustomizations"], "", "table"],
      [undefined, '{"kind": "List"}', "json"],
      [undefined, "apiVersion: v1\nkind: Pod\n", "yaml"],
      [undefined, "Name:   web\n", "describe"],
      [undefined, "LAST SEEN   TYPE     REASON   OBJECT   MESSAGE\n", "events"],
      [undefined, "NAME   CPU(cores)   MEMORY(bytes)\n", "table"],
      [undefined, "deployment.apps/web restarted\n", "text"],
    ];
    for (const [argv, text, kind] of cases) {
      it(`${argv?.join(" ") ?? JSON.stringify(text)} → ${kind}`, () => assert.equal(detectKind(text, argv), kind));
    }
  });
});

function healthyValue(column: string, value: string, mark: string): string {
  switch (column) {
    case "READY":
      return /^\d+\/\d+$/.test(value) ? "1/1" : mark === "True" ? "True" : "4";
    case "STATUS":
      return mark === "True" ? "Applied revision: main@sha1:abc" : mark === "Ready" ? "Ready" : mark === "Complete" ? "Complete" : "Running";
    case "RESTARTS":
      return "0";
    case "AVAILABLE":
    case "CURRENT":
      return "4";
    default:
      return value;
  }
}
