import assert from "node:assert/strict";
import { test } from "node:test";
import { pino } from "pino";
import { lazyChildLoggers } from "../../../src/interfaces/http/lazy-logger.js";

function memoryLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level, base: null, timestamp: false }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

test("a lazy child logger writes exactly what pino's child would, and only at enabled levels", () => {
  const rows: readonly { readonly name: string; readonly use: (log: ReturnType<typeof lazyChildLoggers>) => void }[] = [
    { name: "below the level: nothing", use: (log) => log.debug({ a: 1 }, "hidden") },
    { name: "at the level, with fields", use: (log) => log.info({ a: 1 }, "shown") },
    { name: "a message alone", use: (log) => log.error("failed") },
    { name: "its level raised to debug first", use: (log) => ((log.level = "debug"), log.debug("now shown")) },
    { name: "a grandchild keeps both bindings", use: (log) => log.child({ step: 2 }).warn("nested") },
  ];
  for (const row of rows) {
    const lazy = memoryLogger("info");
    const eager = memoryLogger("info");
    row.use(lazyChildLoggers(lazy.logger, { reqId: "r-1" }, {}));
    row.use(eager.logger.child({ reqId: "r-1" }));
    assert.deepEqual(lazy.lines, eager.lines, row.name);
  }
});

test("a route with its own log level gets pino's child at that level", () => {
  const { logger, lines } = memoryLogger("info");
  const child = lazyChildLoggers(logger, { reqId: "r-2" }, { level: "debug" });
  assert.equal(child.level, "debug");
  child.debug("shown at the route's level");
  assert.deepEqual(lines, [{ level: 20, reqId: "r-2", msg: "shown at the route's level" }]);
});
