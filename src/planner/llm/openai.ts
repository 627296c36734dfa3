import { excerpt, LlmConnectionError, LlmHttpError, LlmResponseError, LlmTimeoutError } from "./errors.js";
import type { JsonSchema, LlmProvider, LlmRequest, LlmResult } from "./types.js";

export interface OpenAICompatibleOptions {
  /** e.g. "http://127.0.0.1:8080" or "https://api.openai.com/v1"; a trailing /v1 is optional. */
  readonly baseUrl: string;
  readonly model: string;
  readonly apiKey?: string;
  /** Per request, default 60 s. */
  readonly timeoutMs?: number;
  /**
   * What to send when the server rejects `json_schema` response formats with HTTP 400 (older Ollama and
   * mlx_lm.server builds): "json_object" (default) retries once with it and keeps using it; false does not.
   */
  readonly fallbackResponseFormat?: "json_object" | false;
}

type ResponseFormat = "json_schema" | "json_object";

interface ChatCompletion {
  readonly choices?: readonly { readonly message?: { readonly content?: unknown; readonly refusal?: unknown } }[];
  readonly usage?: {
    readonly prompt_tokens?: unknown;
    readonly completion_tokens?: unknown;
    readonly prompt_tokens_details?: { readonly cached_tokens?: unknown };
  };
}

const DEFAULT_TIMEOUT_MS = 60_000;
const RESPONSE_SCHEMA_NAME = "k8s_plan";

function chatCompletionsUrl(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, "");
  return `${trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`}/chat/completions`;
}

function count(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : 0;
}

/** Talks to any server with an OpenAI-style /v1/chat/completions endpoint (OpenAI, llama-server, vLLM, Ollama…). */
export class OpenAICompatibleProvider implements LlmProvider {
  readonly id: string;
  private readonly url: string;
  private responseFormat: ResponseFormat = "json_schema";

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.url = chatCompletionsUrl(options.baseUrl);
    this.id = `openai:${options.baseUrl.replace(/\/+$/, "")}#${options.model}`;
  }

  async generate(request: LlmRequest): Promise<LlmResult> {
    const started = performance.now();
    let response: { status: number; body: string };
    try {
      response = await this.post(request, this.responseFormat);
    } catch (error) {
      if (!(error instanceof LlmHttpError && this.shouldFallBack(error))) throw error;
      this.responseFormat = "json_object";
      response = await this.post(request, this.responseFormat);
    }
    return { ...this.parse(response.body), durationMs: performance.now() - started };
  }

  private shouldFallBack(error: LlmHttpError): boolean {
    return (
      this.responseFormat === "json_schema" &&
      (this.options.fallbackResponseFormat ?? "json_object") === "json_object" &&
      error.status === 400 &&
      /response_format|json_schema/i.test(error.bodyExcerpt)
    );
  }

  private body(request: LlmRequest, format: ResponseFormat): string {
    // json_object servers never see the schema, so the model is shown it; the system part stays unchanged.
    const prompt =
      format === "json_object"
        ? `${request.prompt}\n\nReply with one JSON object matching this JSON Schema:\n${JSON.stringify(request.schema)}`
        : request.prompt;
    return JSON.stringify({
      model: this.options.model,
      messages: [
        { role: "system", content: request.system },
        { role: "user", content: prompt },
      ],
      temperature: request.temperature,
      max_tokens: request.maxTokens,
      response_format: format === "json_schema" ? jsonSchemaFormat(request.schema) : { type: "json_object" },
    });
  }

  private async post(request: LlmRequest, format: ResponseFormat): Promise<{ status: number; body: string }> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.options.apiKey) headers["authorization"] = `Bearer ${this.options.apiKey}`;
    try {
      const response = await fetch(this.url, { method: "POST", headers, body: this.body(request, format), signal });
      const body = await response.text();
      if (!response.ok) throw new LlmHttpError(this.url, response.status, excerpt(body));
      return { status: response.status, body };
    } catch (error) {
      if (error instanceof LlmHttpError) throw error;
      if (request.signal?.aborted) throw request.signal.reason;
      if (timeout.aborted) throw new LlmTimeoutError(this.url, timeoutMs);
      throw new LlmConnectionError(this.url, error);
    }
  }

  private parse(body: string): Omit<LlmResult, "durationMs"> {
    let completion: ChatCompletion;
    try {
      completion = JSON.parse(body) as ChatCompletion;
    } catch {
      throw new LlmResponseError(this.url, `body is not JSON: ${excerpt(body)}`);
    }
    const message = completion.choices?.[0]?.message;
    if (typeof message?.refusal === "string" && message.refusal !== "") {
      throw new LlmResponseError(this.url, `the model refused: ${excerpt(message.refusal)}`);
    }
    if (typeof message?.content !== "string") {
      throw new LlmResponseError(this.url, `no choices[0].message.content in ${excerpt(body)}`);
    }
    const cached = completion.usage?.prompt_tokens_details?.cached_tokens;
    return {
      text: message.content,
      promptTokens: count(completion.usage?.prompt_tokens),
      completionTokens: count(completion.usage?.completion_tokens),
      ...(typeof cached === "number" ? { cachedPrefixTokens: count(cached) } : {}),
    };
  }

  async close(): Promise<void> {
    // Stateless: every request opens its own connection through fetch's pool.
  }
}

function jsonSchemaFormat(schema: JsonSchema): unknown {
  return { type: "json_schema", json_schema: { name: RESPONSE_SCHEMA_NAME, strict: true, schema } };
}
