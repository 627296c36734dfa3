/** Base class of every error a model backend raises, so callers can catch them as one kind. */
export class LlmError extends Error {
  override readonly name: string = "LlmError";
}

const PULL_HINT = "download one with `rag-k8s model pull hf:<user>/<repo>/<file>.gguf`";

export class ModelNotFoundError extends LlmError {
  override readonly name = "ModelNotFoundError";
  constructor(readonly modelPath: string) {
    super(`model file not found: ${modelPath}; ${PULL_HINT} or point the llama-cpp provider at an existing .gguf file`);
  }
}

export class ModelLoadError extends LlmError {
  override readonly name = "ModelLoadError";
  constructor(
    readonly modelPath: string,
    cause: unknown,
  ) {
    super(`cannot load model ${modelPath}: ${messageOf(cause)} (is it a GGUF file llama.cpp supports?)`, { cause });
  }
}

export class ModelDownloadError extends LlmError {
  override readonly name = "ModelDownloadError";
  constructor(
    readonly uri: string,
    cause: unknown,
  ) {
    super(`cannot download model ${uri}: ${messageOf(cause)}`, { cause });
  }
}

/** The prompt plus the completion budget does not fit the model's context window. */
export class LlmContextOverflowError extends LlmError {
  override readonly name = "LlmContextOverflowError";
  constructor(
    readonly promptTokens: number,
    readonly maxTokens: number,
    readonly contextSize: number,
  ) {
    super(
      `prompt of ${promptTokens} tokens plus ${maxTokens} completion tokens exceeds the context size ${contextSize}; ` +
        `shorten the card context or raise the context size`,
    );
  }
}

export class LlmHttpError extends LlmError {
  override readonly name = "LlmHttpError";
  constructor(
    readonly url: string,
    readonly status: number,
    readonly bodyExcerpt: string,
  ) {
    super(`${url} answered HTTP ${status}: ${bodyExcerpt}`);
  }
}

export class LlmTimeoutError extends LlmError {
  override readonly name = "LlmTimeoutError";
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${url} did not answer within ${timeoutMs} ms`);
  }
}

export class LlmConnectionError extends LlmError {
  override readonly name = "LlmConnectionError";
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`cannot connect to ${url}: ${messageOf(cause)}; is the model server running?`, { cause });
  }
}

/** The server answered 2xx, but not with a chat completion this client understands. */
export class LlmResponseError extends LlmError {
  override readonly name = "LlmResponseError";
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`unexpected answer from ${url}: ${detail}`);
  }
}

/** The model produced no valid plan, even after a correction attempt. */
export class LlmPlanError extends LlmError {
  override readonly name = "LlmPlanError";
  constructor(
    readonly attempts: number,
    readonly reason: string,
    readonly outputExcerpt: string,
  ) {
    super(`the model produced no valid plan after ${attempts} attempt(s): ${reason}; output: ${outputExcerpt}`);
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const inner = error.cause instanceof Error ? ` (${messageOf(error.cause)})` : "";
    return `${typeof code === "string" ? `${code}: ` : ""}${error.message}${inner}`;
  }
  return String(error);
}

export function excerpt(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max)}…`;
}
