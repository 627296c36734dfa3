import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  LLM_PLAN_JSON_SCHEMA,
  LlmConnectionError,
  LlmHttpError,
  LlmResponseError,
  LlmTimeoutError,
  OpenAICompatibleProvider,
} from "../../src/planner/llm/index.js";

interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

type Handler = (request: Recorded, response: ServerResponse) => void;

const REQUEST = { system: "rules", prompt: "Goal: restart web", schema: LLM_PLAN_JSON_SCHEMA, maxTokens: 160, temperature: 0.2 };

function completion(content: string, usage: Record<string, unknown> = { prompt_tokens: 42, completion_tokens: 7 }): string {
  return JSON.stringify({ id: "x", object: "chat.completion", choices: [{ index: 0, message: { role: "assistant", content } }], usage });
}

describe("OpenAICompatibleProvider", () => {
  let server: Server;
  let base: string;
  let handler: Handler = (_req, res) => res.end();
  const recorded: Recorded[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as Record<string, unknown>,
        };
        recorded.push(request);
        handler(request, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function reset(next: Handler): void {
    recorded.length = 0;
    handler = next;
  }

  test("posts a strict json_schema request with the bearer token and reads usage", async () => {
    reset((_req, res) => res.end(completion('{"intent":"restart"}', { prompt_tokens: 42, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 30 } })));
    const provider = new OpenAICompatibleProvider({ baseUrl: base, model: "qwen2.5-0.5b", apiKey: "sk-test" });
    const result = await provider.generate(REQUEST);
    assert.equal(result.text, '{"intent":"restart"}');
    assert.deepEqual([result.promptTokens, result.completionTokens, result.cachedPrefixTokens], [42, 7, 30]);
    assert.ok(result.durationMs >= 0);
    assert.equal(provider.id, `openai:${base}#qwen2.5-0.5b`);
    const [sent] = recorded;
    assert.equal(sent?.method, "POST");
    assert.equal(sent?.url, "/v1/chat/completions");
    assert.equal(sent?.headers.authorization, "Bearer sk-test");
    assert.equal(sent?.headers["content-type"], "application/json");
    assert.deepEqual(sent?.body, {
      model: "qwen2.5-0.5b",
      messages: [
        { role: "system", content: "rules" },
        { role: "user", content: "Goal: restart web" },
      ],
      temperature: 0.2,
      max_tokens: 160,
      response_format: { type: "json_schema", json_schema: { name: "k8s_plan", strict: true, schema: LLM_PLAN_JSON_SCHEMA } },
    });
  });

  test("accepts a base URL ending in /v1/ and sends no authorization without a key", async () => {
    reset((_req, res) => res.end(completion("{}")));
    await new OpenAICompatibleProvider({ baseUrl: `${base}/v1/`, model: "m" }).generate(REQUEST);
    assert.equal(recorded[0]?.url, "/v1/chat/completions");
    assert.equal(recorded[0]?.headers.authorization, undefined);
  });

  test("falls back to json_object once after a 400 about response_format, then keeps it", async () => {
    reset((req, res) => {
      const format = req.body["response_format"] as { type: string };
      if (format.type === "json_schema") {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { message: "response_format type json_schema is not supported" } }));
        return;
      }
      res.end(completion('{"intent":"status"}'));
    });
    const provider = new OpenAICompatibleProvider({ baseUrl: base, model: "m" });
    assert.equal((await provider.generate(REQUEST)).text, '{"intent":"status"}');
    assert.deepEqual(recorded.map((r) => (r.body["response_format"] as { type: string }).type), ["json_schema", "json_object"]);
    const fallbackPrompt = (recorded[1]?.body["messages"] as { content: string }[])[1]?.content ?? "";
    assert.ok(fallbackPrompt.startsWith("Goal: restart web"));
    assert.ok(fallbackPrompt.includes(JSON.stringify(LLM_PLAN_JSON_SCHEMA)), "json_object mode shows the schema to the model");
    recorded.length = 0;
    await provider.generate(REQUEST);
    assert.deepEqual(recorded.map((r) => (r.body["response_format"] as { type: string }).type), ["json_object"]);
  });

  test("does not fall back when told not to, or on a 400 about something else", async () => {
    reset((_req, res) => {
      res.statusCode = 400;
      res.end("response_format json_schema unsupported");
    });
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m", fallbackResponseFormat: false }).generate(REQUEST), LlmHttpError);
    assert.equal(recorded.length, 1);
    reset((_req, res) => {
      res.statusCode = 400;
      res.end("max_tokens too large");
    });
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate(REQUEST), LlmHttpError);
    assert.equal(recorded.length, 1);
  });

  test("an HTTP error names the status and quotes the body", async () => {
    reset((_req, res) => {
      res.statusCode = 500;
      res.end("model crashed: out of memory");
    });
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate(REQUEST), (error: unknown) => {
      assert.ok(error instanceof LlmHttpError);
      assert.equal(error.status, 500);
      assert.equal(error.bodyExcerpt, "model crashed: out of memory");
      assert.match(error.message, /\/v1\/chat\/completions answered HTTP 500: model crashed/);
      return true;
    });
  });

  test("a server that never answers times out", async () => {
    reset(() => {
      // never respond; the connection is closed when the server shuts down
    });
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m", timeoutMs: 200 }).generate(REQUEST), (error: unknown) => {
      assert.ok(error instanceof LlmTimeoutError);
      assert.match(error.message, /did not answer within 200 ms/);
      return true;
    });
  });

  test("a caller's abort is passed through as the abort reason", async () => {
    reset(() => {});
    const controller = new AbortController();
    const pending = new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate({ ...REQUEST, signal: controller.signal });
    controller.abort(new Error("client went away"));
    await assert.rejects(pending, /client went away/);
  });

  test("answers without a message content or refusals are typed errors", async () => {
    reset((_req, res) => res.end(JSON.stringify({ choices: [] })));
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate(REQUEST), LlmResponseError);
    reset((_req, res) => res.end(JSON.stringify({ choices: [{ message: { content: null, refusal: "I can't help" } }] })));
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate(REQUEST), /refused: I can't help/);
    reset((_req, res) => res.end("<html>proxy</html>"));
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: base, model: "m" }).generate(REQUEST), /body is not JSON/);
  });

  test("a refused connection names the URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const url = `http://127.0.0.1:${port}`;
    await assert.rejects(new OpenAICompatibleProvider({ baseUrl: url, model: "m" }).generate(REQUEST), (error: unknown) => {
      assert.ok(error instanceof LlmConnectionError);
      assert.equal(error.url, `${url}/v1/chat/completions`);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });
});
