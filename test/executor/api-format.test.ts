import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { goJson } from "../../src/executor/api/gojson.js";
import { goSort } from "../../src/executor/api/gosort.js";
import { goYaml } from "../../src/executor/api/goyaml.js";
import { durationSeconds } from "../../src/executor/api/logs.js";
import { milliValue, parseQuantity, unitValue } from "../../src/executor/api/quantity.js";
import { alignColumns } from "../../src/executor/api/tabwriter.js";
import { rfc3339Local } from "../../src/executor/api/writes.js";

// The equivalence test compares these printers with kubectl on the sandbox's objects; these cases pin the
// rules on inputs the sandbox does not hold.

describe("goYaml: go-yaml's scalar styles", () => {
  const cases: [unknown, string][] = [
    [{ a: "plain text" }, "a: plain text\n"],
    [{ a: "" }, 'a: ""\n'],
    [{ a: "true" }, 'a: "true"\n'],
    [{ a: "yes" }, 'a: "yes"\n'],
    [{ a: "1.5" }, 'a: "1.5"\n'],
    [{ a: "0755" }, 'a: "0755"\n'],
    [{ a: "2024-05-01T12:00:00Z" }, 'a: "2024-05-01T12:00:00Z"\n'],
    [{ a: "~" }, 'a: "~"\n'],
    [{ a: "key: value" }, "a: 'key: value'\n"],
    [{ a: "[x]" }, "a: '[x]'\n"],
    [{ a: "it's" }, "a: it's\n"],
    [{ a: "- item" }, "a: '- item'\n"],
    [{ a: "#comment" }, "a: '#comment'\n"],
    [{ a: "a #b" }, "a: 'a #b'\n"],
    [{ a: " lead" }, "a: ' lead'\n"],
    [{ a: "line\n" }, "a: |\n  line\n"],
    [{ a: "line" + "\n" + "two" }, "a: |-\n  line\n  two\n"],
    [{ b: 1, a: [1, { y: 2, x: null }], c: {}, d: [] }, "a:\n- 1\n- x: null\n  \"y\": 2\nb: 1\nc: {}\nd: []\n"],
    [{ a: [[1, 2]] }, "a:\n- - 1\n  - 2\n"],
  ];
  for (const [value, expected] of cases) it(JSON.stringify(value), () => assert.equal(goYaml(value), expected));

  it("folds a long plain value at the first space past column 80", () => {
    const words = Array.from({ length: 30 }, (_, i) => `w${i}`).join(" ");
    const out = goYaml({ message: words });
    const [first = "", second = ""] = out.split("\n");
    assert.ok(first.length > 80 && first.length < 90, first);
    assert.ok(second.startsWith("  w"), second);
    assert.equal(out.replace(/\n {2}/g, " "), `message: ${words}\n`);
  });
});

describe("goJson", () => {
  it("sorts keys, indents by four and escapes HTML characters as Go does", () => {
    assert.equal(goJson({ b: "<&>", a: [], c: {} }), '{\n    "a": [],\n    "b": "\\u003c\\u0026\\u003e",\n    "c": {}\n}\n');
  });
  it("escapes control characters as Go does (\\u0008, not \\b)", () => {
    assert.equal(goJson("a\b\f\n\t\"\\é"), '"a\\u0008\\u000c\\n\\t\\"\\\\é"\n');
  });
});

describe("goSort", () => {
  it("sorts", () => {
    const values = Array.from({ length: 200 }, (_, i) => (i * 7919) % 200);
    goSort(values, (a, b) => a < b);
    assert.deepEqual(values, Array.from({ length: 200 }, (_, i) => i));
  });
  it("keeps ties in insertion order up to twelve elements, like Go's insertion sort", () => {
    const rows = ["b1", "a1", "b2", "a2", "b3"];
    goSort(rows, (x, y) => x[0] as string < (y[0] as string));
    assert.deepEqual(rows, ["a1", "a2", "b1", "b2", "b3"]);
  });
});

describe("quantities", () => {
  const cases: [string, bigint | undefined][] = [
    ["250m", 250_000_000n],
    ["33000000n", 33_000_000n],
    ["1", 1_000_000_000n],
    ["1.5Gi", 1_610_612_736_000_000_000n],
    ["92160Ki", 94_371_840_000_000_000n],
    ["1e3", 1_000_000_000_000n],
    ["1x", undefined],
    ["", undefined],
  ];
  for (const [text, nanos] of cases) it(text, () => assert.equal(parseQuantity(text), nanos));
  it("rounds milli and unit values up, as Quantity does", () => {
    assert.equal(milliValue(parseQuantity("33554432n") as bigint), 34n);
    assert.equal(unitValue(parseQuantity("1500m") as bigint), 2n);
  });
});

describe("small formats", () => {
  it("aligns columns with three spaces, the last cell unpadded", () => {
    assert.equal(alignColumns([["NAME", "AGE"], ["a-long-name", "5m"]]), "NAME          AGE\na-long-name   5m\n");
  });
  it("reads Go durations in seconds, rounding up", () => {
    assert.deepEqual(["10m", "1h30m", "45s", "1.5h", "500ms", "1d", "", "10"].map(durationSeconds), [600, 5400, 45, 5400, 1, undefined, undefined, undefined]);
  });
  it("writes RFC 3339 in local time as Go's time.Now().Format does", () => {
    const stamp = rfc3339Local(new Date(Date.UTC(2024, 4, 1, 12, 0, 0)));
    assert.match(stamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)$/);
    assert.equal(new Date(stamp).getTime(), Date.UTC(2024, 4, 1, 12, 0, 0));
  });
});
