import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LlmHttpError, LlmPlanError, planWithLlm } from "../../src/planner/llm/index.js";
import type { LlmProvider } from "../../src/planner/llm/index.js";
import { ScriptedProvider, VALID_PLAN } from "./llm-fakes.js";

const PROMPT = { system: "rules", prompt: "Goal: restart web in prod" };

describe("planWithLlm", () => {
  test("returns a valid first answer with its usage and the default budget", async () => {
    const provider = new ScriptedProvider([JSON.stringify(VALID_PLAN)]);
    const result = await planWithLlm(provider, PROMPT);
    assert.deepEqual(result.plan, VALID_PLAN);
    assert.equal(result.attempts, 1);
    assert.equal(result.model, "scripted:test");
    assert.deepEqual([result.promptTokens, result.completionTokens, result.cachedPrefixTokens], [100, 20, 60]);
    const [request] = provider.requests;
    assert.equal(request?.maxTokens, 160);
    assert.equal(request?.temperature, 0.2);
    assert.equal(request?.system, "rules");
    assert.deepEqual(request?.schema["required"], Object.keys(VALID_PLAN));
  });

  test("retries once with a correction that quotes the validation error, keeping the system part", async () => {
    const invalid = JSON.stringify({ ...VALID_PLAN, namespace: "Prod" });
    const provider = new ScriptedProvider([invalid, JSON.stringify(VALID_PLAN)]);
    const result = await planWithLlm(provider, PROMPT, { maxTokens: 200, temperature: 0 });
    assert.equal(result.attempts, 2);
    assert.equal(result.promptTokens, 200);
    assert.equal(result.completionTokens, 40);
    const retry = provider.requests[1];
    assert.equal(retry?.system, PROMPT.system);
    assert.ok(retry?.prompt.startsWith(PROMPT.prompt));
    assert.match(retry?.prompt ?? "", /rejected: namespace: must be a lowercase RFC 1123 label/);
    assert.ok(retry?.prompt.includes('"namespace":"Prod"'));
    assert.equal(retry?.maxTokens, 200);
    assert.equal(retry?.temperature, 0);
  });

  test("says when invalid JSON stopped at the token limit", async () => {
    const provider = new ScriptedProvider(['{"intent":"restart","namesp', JSON.stringify(VALID_PLAN)]);
    await planWithLlm(provider, PROMPT, { maxTokens: 20 });
    assert.match(provider.requests[1]?.prompt ?? "", /not valid JSON \(the output stopped at the 20-token limit\)/);
  });

  test("accepts an object wrapped in a markdown fence (json_object servers)", async () => {
    const provider = new ScriptedProvider([`\`\`\`json\n${JSON.stringify(VALID_PLAN)}\n\`\`\``]);
    assert.deepEqual((await planWithLlm(provider, PROMPT)).plan, VALID_PLAN);
  });

  test("two invalid answers raise LlmPlanError with the raw output, never a plan", async () => {
    const provider = new ScriptedProvider(["not json", '{"intent":"explode"}']);
    await assert.rejects(planWithLlm(provider, PROMPT), (error: unknown) => {
      assert.ok(error instanceof LlmPlanError);
      assert.equal(error.attempts, 2);
      assert.match(error.reason, /intent/);
      assert.equal(error.outputExcerpt, '{"intent":"explode"}');
      assert.match(error.message, /no valid plan after 2 attempt/);
      return true;
    });
    assert.equal(provider.requests.length, 2);
  });

  test("backend errors propagate without a retry", async () => {
    let calls = 0;
    const failing: LlmProvider = {
      id: "failing",
      generate: async () => {
        calls++;
        throw new LlmHttpError("http://127.0.0.1:1/v1/chat/completions", 503, "overloaded");
      },
      close: async () => {},
    };
    await assert.rejects(planWithLlm(failing, PROMPT), LlmHttpError);
    assert.equal(calls, 1);
  });
});
