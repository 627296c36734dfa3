import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isNumbersObject, numberJson, numbersJson } from "../src/json-field.js";

describe("numberJson writes a number exactly as JSON.stringify does", () => {
  const EDGES = [
    0, -0, 1, 7, 10, 100, 1000, 0.001, 0.002, 0.01, 0.02, 0.1, 0.5, 0.062, 0.909, 1.5, 12.34, 12.304, 12.34 + 1e-9, 999.999, 0.1 + 0.2,
    1e12 - 0.001, 1e12, 1e12 + 0.5, 1e15, 2 ** 53, 2 ** 53 + 2, 1e21, 1.5e300, 1e-7, 5e-324, 0.0005, 0.0015, 123456789.123,
    Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, -0.5, -0.062, Number.MAX_VALUE, Number.MIN_VALUE,
  ];
  for (const x of EDGES) it(`${String(x)}`, () => assert.equal(numberJson(x), JSON.stringify(x)));

  it("timings as StageTimer rounds them, at every magnitude, and arbitrary doubles", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 200_000; i++) {
      const digits = 1 + (i % 16);
      const thousandths = Math.round(random() * 10 ** digits) / 1000;
      assert.equal(numberJson(thousandths), JSON.stringify(thousandths), `${thousandths}`);
      const double = (random() - 0.25) * 10 ** ((i % 30) - 10);
      assert.equal(numberJson(double), JSON.stringify(double), `${double}`);
    }
  });
});

describe("numbersJson", () => {
  const ROWS: readonly [string, Record<string, number>][] = [
    ["empty", {}],
    ["timings", { retrieveMs: 0.062, planMs: 0.066, resolveMs: 0, validateMs: 0.129, execMs: 0, totalMs: 1.218 }],
    ["keys JSON must escape, and integer-like keys (which come first)", { "b\"q": 1, "ü\n": 2.5, "2": 3, "1": 0.001 }],
    ["numbers JSON writes as null", { nan: Number.NaN, inf: Number.POSITIVE_INFINITY }],
  ];
  for (const [name, value] of ROWS) {
    it(name, () => {
      assert.ok(isNumbersObject(value));
      assert.equal(numbersJson(value), JSON.stringify(value));
    });
  }

  it("reads own keys only, as JSON.stringify does, even with something added to Object.prototype", () => {
    Object.defineProperty(Object.prototype, "polluted", { value: "x", enumerable: true, configurable: true, writable: true });
    try {
      const value = { totalMs: 0.5 };
      assert.ok(isNumbersObject(value));
      assert.equal(numbersJson(value), JSON.stringify(value));
    } finally {
      delete (Object.prototype as Record<string, unknown>)["polluted"];
    }
  });

  it("isNumbersObject refuses what JSON.stringify would treat otherwise", () => {
    const NOT: readonly [string, object][] = [
      ["a string among numbers", { a: 1, b: "2" }],
      ["an array", [1, 2]],
      ["a Date", new Date(0)],
      ["an own toJSON", { a: 1, toJSON: () => 0 }],
      ["a class instance", new (class {
        a = 1;
      })()],
      ["a nested object", { a: { b: 1 } }],
    ];
    for (const [name, value] of NOT) assert.equal(isNumbersObject(value), false, name);
  });
});
