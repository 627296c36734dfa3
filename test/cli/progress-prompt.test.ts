import assert from "node:assert/strict";
import { test } from "node:test";
import type { ExecResponse } from "../../src/core/response.js";
import { formatConfirmation, isYes } from "../../src/interfaces/cli/prompt.js";
import { mebibytes, progressReporter } from "../../src/interfaces/cli/progress.js";

function capture(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (text: string) => written.push(text) }, written };
}

test("progress: a terminal gets one line redrawn with \\r, ended by one newline", () => {
  const { stream, written } = capture(true);
  const progress = progressReporter(stream);
  progress.update("model.gguf", 5, mebibytes(1_048_576, 20_971_520));
  progress.update("model.gguf", 50, mebibytes(10_485_760, 20_971_520));
  progress.end();
  progress.end();
  assert.deepEqual(written, ["\rmodel.gguf   5%  1.0 / 20.0 MiB", "\rmodel.gguf  50%  10.0 / 20.0 MiB", "\n"]);
});

test("progress: a pipe gets plain lines, one per 10% step, and no \\r", () => {
  const { stream, written } = capture(false);
  const progress = progressReporter(stream);
  for (let percent = 0; percent <= 100; percent += 2.5) progress.update("cards", percent, `${percent}`);
  progress.end();
  assert.equal(written.length, 11);
  assert.ok(written.every((line) => !line.includes("\r") && line.endsWith("\n")), JSON.stringify(written));
  assert.equal(written[10], "cards 100%  100\n");
});

const awaiting = {
  status: "awaiting_confirmation",
  message: "NEEDS USER APPROVAL: call again with constraints.confirm=true and constraints.confirmToken",
  risk: "medium",
  plan: { summary: "scale deployment web in staging to 7", commands: ["kubectl scale deployment/web --replicas=7 -n staging"] },
  validation: { risk: "medium", reasons: ["scale changes the number of running pods"] },
} as unknown as ExecResponse;

test("the confirmation shows the plan and why, without the agents' instructions", () => {
  const text = formatConfirmation(awaiting);
  assert.match(text, /^plan: scale deployment web in staging to 7$/m);
  assert.match(text, /^ {2}\$ kubectl scale deployment\/web --replicas=7 -n staging$/m);
  assert.match(text, /needs confirmation \(risk medium\)/);
  assert.doesNotMatch(text, /constraints|confirmToken|NEEDS USER APPROVAL/);
  assert.equal(text.match(/kubectl scale/g)?.length, 1, "the plan is shown once");
});

test("only an explicit yes runs", () => {
  const rows: [string, boolean][] = [["y", true], ["Y", true], ["yes", true], [" YES \n", true], ["", false], ["n", false], ["no", false], ["yep", false], ["y y", false], ["ja", false]];
  for (const [answer, expected] of rows) assert.equal(isYes(answer), expected, JSON.stringify(answer));
});
