/** A JSON Schema object as sent to a model server or compiled into a decoding grammar. */
export type JsonSchema = Readonly<Record<string, unknown>>;

export interface LlmRequest {
  /** The fixed instructions: identical across requests so that servers can reuse its KV cache. */
  readonly system: string;
  /** The per-request part: retrieved context and the task. */
  readonly prompt: string;
  /** The output must be one JSON value matching this schema (grammar-constrained where the backend can). */
  readonly schema: JsonSchema;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly signal?: AbortSignal;
}

export interface LlmResult {
  readonly text: string;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly durationMs: number;
  /** Prompt tokens whose evaluation was reused from an earlier request, when the backend reports it. */
  readonly cachedPrefixTokens?: number;
  /** Time to the first output token (prompt evaluation plus one decode step), when the backend reports it. */
  readonly firstTokenMs?: number;
}

export interface LlmProvider {
  /** Identifies the backend and model, e.g. "llama-cpp:model.gguf@1a2b…"; part of plan-cache keys. */
  readonly id: string;
  generate(request: LlmRequest): Promise<LlmResult>;
  /**
   * Evaluates the fixed instructions ahead of the first request (at load, not on a user's clock), where the
   * backend keeps evaluated prefixes; backends without such a cache leave it out.
   */
  prepare?(system: string): Promise<void>;
  close(): Promise<void>;
}
