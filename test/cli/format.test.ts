import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExecResponse } from "../../src/core/response.js";
import { formatResponse } from "../../src/interfaces/cli/format.js";

const ESC = "\u001b";

test("human output carries no terminal escape sequence from any field (clipboard write, clear screen, fake colour, bidi)", () => {
  const hostile = (label: string) => `${label}${ESC}]52;c;ZWNobyBoaQ==\u0007${ESC}[2J${ESC}[32m ok${ESC}[0m\u202e`;
  const response = {
    operationId: hostile("op"),
    status: "failed",
    message: hostile("message"),
    plan: { summary: hostile("summary"), planner: "template", cardId: hostile("card"), commands: [hostile("kubectl logs web-0")] },
    validation: { decision: "allow", risk: "none", readOnly: true, reasons: [hostile("reason")], suggestions: [hostile("suggestion")] },
    candidates: [{ cardId: hostile("candidate"), title: hostile("title"), missing: [hostile("name")] }],
    stdout: hostile("stdout line"),
    stderr: hostile("stderr line"),
    result: null,
    cache: undefined,
    timings: { retrieveMs: 0, planMs: 0, validateMs: 0, execMs: 0, totalMs: 0 },
  } as unknown as ExecResponse;
  const text = formatResponse(response);
  assert.ok(!text.includes(ESC) && !text.includes("\u0007") && !text.includes("\u202e"), JSON.stringify(text));
  for (const label of ["op", "message", "summary", "card", "kubectl logs web-0", "reason", "suggestion", "candidate", "title", "stdout line", "stderr line"]) {
    assert.ok(text.includes(`${label} ok`), `${label} is still shown, without the sequences`);
  }
});
