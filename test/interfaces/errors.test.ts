import assert from "node:assert/strict";
import { test } from "node:test";
import { classifyError } from "../../src/app/errors.js";
import { AuditWriteError } from "../../src/audit/index.js";
import { CardLoadError } from "../../src/cards/index.js";
import { ConfigError } from "../../src/config/index.js";
import { RequestValidationError, UsageError } from "../../src/core/errors.js";
import type { ErrorKind } from "../../src/core/errors.js";
import { GateRefusal } from "../../src/core/gate.js";
import { BinaryNotFoundError } from "../../src/executor/index.js";
import { EXIT_BY_KIND } from "../../src/interfaces/cli/errors.js";
import { HTTP_STATUS, HttpConfigError } from "../../src/interfaces/shared/http.js";
import { ModelNotFoundError } from "../../src/planner/llm/index.js";
import { FixtureError } from "../../src/sandbox/index.js";

/** Every error a face can meet, by kind, and the code each face answers with; nothing is matched by class name. */
const ROWS: readonly { error: unknown; kind: ErrorKind; exit: number; http: number }[] = [
  { error: new UsageError("--k must be a number"), kind: "usage", exit: 2, http: 400 },
  { error: new RequestValidationError([{ path: "namespace", message: "bad" }]), kind: "input", exit: 2, http: 400 },
  { error: new ConfigError([{ path: "exec.timeoutMs", source: "flag", message: "must be a number" }]), kind: "input", exit: 2, http: 400 },
  { error: new CardLoadError([{ file: "x.yaml", line: 1, column: 1, message: "bad" }]), kind: "input", exit: 2, http: 400 },
  { error: new FixtureError("cannot read sandbox fixture /nonexistent.yaml: ENOENT"), kind: "input", exit: 2, http: 400 },
  { error: new BinaryNotFoundError("kubectl", "kubectl"), kind: "environment", exit: 1, http: 503 },
  { error: new ModelNotFoundError("/models/x.gguf"), kind: "environment", exit: 1, http: 503 },
  { error: new AuditWriteError("/var/log/audit.jsonl", "ENOSPC"), kind: "environment", exit: 1, http: 503 },
  { error: new HttpConfigError("refusing to listen"), kind: "environment", exit: 1, http: 503 },
  { error: new GateRefusal("step 1 is not the command policy validated"), kind: "policy", exit: 4, http: 403 },
  { error: new TypeError("x is undefined"), kind: "internal", exit: 70, http: 500 },
  { error: "a thrown string", kind: "internal", exit: 70, http: 500 },
];

test("errors are classified by kind and each face maps the kind to its code", () => {
  for (const row of ROWS) {
    const { kind, message } = classifyError(row.error);
    assert.equal(kind, row.kind, String(row.error));
    assert.equal(EXIT_BY_KIND[kind], row.exit, String(row.error));
    assert.equal(HTTP_STATUS[kind], row.http, String(row.error));
    // Only an internal error keeps its stack; everything else is one message that says what to fix.
    if (kind !== "internal") assert.doesNotMatch(message, /\n\s+at /);
  }
});

test("a request error keeps its field issues for --json, HTTP 400 and MCP", () => {
  const classified = classifyError(new RequestValidationError([{ path: "params.replicas", message: "too big" }]));
  assert.deepEqual(classified.issues, [{ path: "params.replicas", message: "too big" }]);
});
