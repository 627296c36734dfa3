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

/** One decision: the text written before it, then exactly one of `options` (texts of JSON values). */
export interface ChoiceStepSpec {
  readonly before: string;
  readonly options: readonly string[];
}

/**
 * A constrained answer made of decisions among known options (the card path): the provider writes each step's
 * text, then lets the model pick one option, then asks `next` for the following step with the choices so far.
 */
export interface ChoiceRequest {
  readonly system: string;
  readonly prompt: string;
  readonly next: (chosen: readonly string[]) => ChoiceStepSpec | null;
  readonly signal?: AbortSignal;
}

export interface ChoiceResult {
  /** The option texts chosen, one per step. */
  readonly chosen: readonly string[];
  /** The whole answer as written (steps' texts and options). */
  readonly text: string;
  readonly promptTokens: number;
  /** Answer tokens, whether the model chose them or they were the only possibility. */
  readonly completionTokens: number;
  /** Model evaluations that had to choose between several tokens. */
  readonly decisions: number;
  readonly durationMs: number;
  readonly cachedPrefixTokens?: number;
  /** Time to the first decision (prompt evaluation plus one decode step). */
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
  /**
   * Answers a ChoiceRequest by scoring only the options' tokens (no grammar, no sampling over the vocabulary);
   * backends without token-level access leave it out and get the same choice as a JSON Schema instead.
   */
  choose?(request: ChoiceRequest): Promise<ChoiceResult>;
  close(): Promise<void>;
}
