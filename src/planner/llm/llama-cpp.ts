import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import type { ChatWrapper, ChatWrapperGeneratedContextState, GbnfJsonObjectSchema, Llama, LlamaCompletion, LlamaContext, LlamaContextSequence, LlamaGrammar, LlamaModel, Token } from "node-llama-cpp";
import { nodeLlamaCpp } from "./binding.js";
import { LlmContextOverflowError, LlmError, ModelLoadError, ModelNotFoundError } from "./errors.js";
import { prefixStateFile, restorePrefix, savePrefix } from "./prefix-state.js";
import { SerialQueue } from "./serial-queue.js";
import type { ChoiceRequest, ChoiceResult, JsonSchema, LlmProvider, LlmRequest, LlmResult } from "./types.js";

export interface LlamaCppOptions {
  readonly modelPath: string;
  /** CPU threads; llama.cpp's own default ran ~40× slower on a 2-core machine. Defaults to all cores. */
  readonly threads?: number;
  /** "auto" uses a GPU when llama.cpp finds one; the default false keeps start-up fast and predictable. */
  readonly gpu?: "auto" | false;
  /**
   * Tokens of prompt plus completion; defaults to the model's training context, at most 8192 (room for the
   * rules, policy and a ~4000-token card catalog in the fixed prefix).
   */
  readonly contextSize?: number;
  /** Keep the evaluated prompt between requests so a shared prefix is not evaluated again (default true). */
  readonly reusePrefix?: boolean;
  /**
   * Where `prepare` keeps the evaluated fixed prefix between processes (tens of MB per model and prompt), so a
   * one-shot CLI call loads it in milliseconds instead of evaluating thousands of tokens. Off when absent.
   */
  readonly prefixStateDir?: string;
}

interface LoadedModel {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly fingerprint: string;
}

const DEFAULT_MAX_CONTEXT = 8192;
// One llama.cpp binding per GPU choice and one copy of each model per process, however many providers use it.
const llamas = new Map<string, Promise<Llama>>();
const models = new Map<string, { loaded: Promise<LoadedModel>; users: number }>();

function llamaFor(gpu: "auto" | false): Promise<Llama> {
  const key = String(gpu);
  let llama = llamas.get(key);
  if (!llama) {
    llama = nodeLlamaCpp().then(({ getLlama, LlamaLogLevel }) => getLlama({ gpu, logLevel: LlamaLogLevel.error }));
    llamas.set(key, llama);
    llama.catch(() => llamas.delete(key));
  }
  return llama;
}

/**
 * Identifies the model file for plan-cache keys without hashing hundreds of megabytes at start-up: the size,
 * the GGUF header with metadata and vocabulary (first MiB) and the last tensor bytes (last MiB).
 */
async function fingerprint(path: string, size: number): Promise<string> {
  const chunk = 1 << 20;
  const hash = createHash("sha256").update(String(size));
  const file = await open(path, "r");
  try {
    const ranges = size <= 2 * chunk ? [[0, size]] : [[0, chunk], [size - chunk, chunk]];
    for (const [position, length] of ranges as [number, number][]) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return hash.digest("hex").slice(0, 16);
}

async function loadModel(modelPath: string, gpu: "auto" | false): Promise<LoadedModel> {
  const info = await stat(modelPath).catch(() => null);
  if (!info?.isFile()) throw new ModelNotFoundError(modelPath);
  const llama = await llamaFor(gpu);
  try {
    const model = await llama.loadModel({ modelPath });
    return { llama, model, fingerprint: await fingerprint(modelPath, info.size) };
  } catch (error) {
    throw new ModelLoadError(modelPath, error);
  }
}

function acquireModel(modelPath: string, gpu: "auto" | false): Promise<LoadedModel> {
  const key = `${gpu}:${modelPath}`;
  let entry = models.get(key);
  if (!entry) {
    entry = { loaded: loadModel(modelPath, gpu), users: 0 };
    models.set(key, entry);
    entry.loaded.catch(() => models.delete(key));
  }
  entry.users++;
  return entry.loaded;
}

async function releaseModel(modelPath: string, gpu: "auto" | false): Promise<void> {
  const key = `${gpu}:${modelPath}`;
  const entry = models.get(key);
  if (!entry || --entry.users > 0) return;
  models.delete(key);
  await (await entry.loaded).model.dispose();
}

/**
 * Runs a local GGUF model in-process with llama.cpp. Output is constrained by a grammar compiled from the
 * request's JSON Schema. Requests run one at a time on one context sequence: the sequence keeps the tokens it
 * evaluated last, and LlamaCompletion erases only from the first token that differs, so the fixed system
 * prompt is evaluated once (by `prepare`, or else by the first request) and reused by every later request.
 */
export class LlamaCppProvider implements LlmProvider {
  readonly id: string;
  private readonly queue = new SerialQueue();
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private closed = false;

  private constructor(
    private readonly modelPath: string,
    private readonly gpu: "auto" | false,
    private readonly loaded: LoadedModel,
    private readonly context: LlamaContext,
    private readonly sequence: LlamaContextSequence,
    private readonly completion: LlamaCompletion,
    private readonly chatWrapper: ChatWrapper,
    private readonly reusePrefix: boolean,
    private readonly prefixStateDir: string | undefined,
  ) {
    this.id = `llama-cpp:${basename(modelPath)}@${loaded.fingerprint}`;
  }

  static async load(options: LlamaCppOptions): Promise<LlamaCppProvider> {
    // A missing add-on is named before the model file is looked for.
    const { LlamaCompletion, resolveChatWrapper } = await nodeLlamaCpp();
    const modelPath = resolve(options.modelPath);
    const gpu = options.gpu ?? false;
    const loaded = await acquireModel(modelPath, gpu);
    try {
      const { model } = loaded;
      const context = await model.createContext({
        contextSize: options.contextSize ?? Math.min(DEFAULT_MAX_CONTEXT, model.trainContextSize),
        threads: options.threads ?? availableParallelism(),
        sequences: 1,
      });
      const sequence = context.getSequence();
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const chatWrapper = resolveChatWrapper(model);
      return new LlamaCppProvider(modelPath, gpu, loaded, context, sequence, completion, chatWrapper, options.reusePrefix ?? true, options.prefixStateDir);
    } catch (error) {
      await releaseModel(modelPath, gpu);
      throw new ModelLoadError(modelPath, error);
    }
  }

  get contextSize(): number {
    return this.context.contextSize;
  }

  generate(request: LlmRequest): Promise<LlmResult> {
    if (this.closed) return Promise.reject(new LlmError(`${this.id} is closed`));
    return this.queue.run(() => this.generateNow(request), request.signal);
  }

  /**
   * Evaluates the fixed system prompt now, so that the first request pays only for its own tokens. The
   * prefix is what two renderings of this system prompt with different user text share, token for token:
   * exactly what a later request finds already in the sequence.
   */
  prepare(system: string): Promise<void> {
    if (this.closed) return Promise.reject(new LlmError(`${this.id} is closed`));
    if (!this.reusePrefix) return Promise.resolve();
    return this.queue.run(async () => {
      const a = this.render(system, "a").tokens;
      const b = this.render(system, "b").tokens;
      let shared = 0;
      while (shared < a.length && a[shared] === b[shared]) shared++;
      const prefix = a.slice(0, shared);
      if (prefix.length + 1 > this.context.contextSize) throw new LlmContextOverflowError(prefix.length, 1, this.context.contextSize);
      const stateFile = this.prefixStateDir === undefined ? undefined : prefixStateFile(this.prefixStateDir, this.prefixIdentity(), prefix);
      if (stateFile !== undefined && this.sequence.nextTokenIndex === 0 && (await restorePrefix(this.sequence, stateFile, prefix))) return;
      const { firstDifferentIndex } = this.sequence.compareContextTokens(prefix);
      if (firstDifferentIndex < this.sequence.nextTokenIndex) {
        await this.sequence.eraseContextTokenRanges([{ start: firstDifferentIndex, end: this.sequence.nextTokenIndex }]);
      }
      if (firstDifferentIndex < prefix.length) await this.sequence.evaluateWithoutGeneratingNewTokens(prefix.slice(firstDifferentIndex));
      if (stateFile !== undefined) await savePrefix(this.sequence, stateFile);
    });
  }

  private prefixIdentity() {
    const { release } = this.loaded.llama.llamaCppRelease;
    return { modelFingerprint: this.loaded.fingerprint, contextSize: this.context.contextSize, runtime: `${release}:${String(this.gpu)}` };
  }

  /** The tokens LlamaCompletion evaluates for this system and user text, beginning-of-sequence token included. */
  private render(system: string, user: string): { tokens: Token[]; stopTriggers: ChatWrapperGeneratedContextState["stopGenerationTriggers"] } {
    const { model } = this.loaded;
    const state = this.chatWrapper.generateContextState({
      chatHistory: [
        { type: "system", text: system },
        { type: "user", text: user },
        { type: "model", response: [] },
      ],
    });
    const input = this.withoutLeadingBos(state.contextText.tokenize(model.tokenizer));
    const tokens = model.tokens.shouldPrependBosToken && model.tokens.bos != null ? [model.tokens.bos, ...input] : input;
    return { tokens, stopTriggers: state.stopGenerationTriggers };
  }

  private async generateNow(request: LlmRequest): Promise<LlmResult> {
    const grammar = await this.grammarFor(request.schema);
    const { tokens: evaluated, stopTriggers } = this.render(request.system, request.prompt);
    // LlamaCompletion puts the beginning-of-sequence token back in front of the input when the model wants one.
    const input = this.withoutLeadingBos(evaluated);
    if (evaluated.length + request.maxTokens > this.context.contextSize) {
      throw new LlmContextOverflowError(evaluated.length, request.maxTokens, this.context.contextSize);
    }
    if (!this.reusePrefix) await this.sequence.clearHistory();
    // At least the last prompt token is always evaluated again to produce the first output token.
    const cachedPrefixTokens = Math.min(this.sequence.compareContextTokens(evaluated).firstDifferentIndex, evaluated.length - 1);
    let completionTokens = 0;
    let firstTokenMs: number | undefined;
    const started = performance.now();
    const { response } = await this.completion.generateCompletionWithMeta(input, {
      grammar,
      maxTokens: request.maxTokens,
      temperature: request.temperature,
      customStopTriggers: stopTriggers,
      // A context shift would silently drop the start of the prompt (the rules); the size check above forbids it.
      disableContextShift: true,
      // LlamaCompletion otherwise keeps a tenth of the context free and cuts that much off the prompt's start.
      contextShiftSize: 0,
      onToken: (tokens) => {
        firstTokenMs ??= performance.now() - started;
        completionTokens += tokens.length;
      },
      ...(request.signal ? { signal: request.signal } : {}),
    });
    return {
      text: response,
      promptTokens: evaluated.length,
      completionTokens,
      durationMs: performance.now() - started,
      cachedPrefixTokens,
      ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
    };
  }

  choose(request: ChoiceRequest): Promise<ChoiceResult> {
    if (this.closed) return Promise.reject(new LlmError(`${this.id} is closed`));
    return this.queue.run(() => this.chooseNow(request), request.signal);
  }

  /**
   * Constrained decoding without a grammar: the step texts are appended as they are (evaluated in one batch with
   * the next decision), and at each token where the remaining options differ the model is asked only for the
   * logits of those few tokens, and the highest wins (greedy, deterministic). Options are tokenized on their
   * own, so a decision costs one model step and nothing per vocabulary entry.
   */
  private async chooseNow(request: ChoiceRequest): Promise<ChoiceResult> {
    const { model } = this.loaded;
    const evaluated = this.render(request.system, request.prompt).tokens;
    if (evaluated.length + 1 > this.context.contextSize) throw new LlmContextOverflowError(evaluated.length, 1, this.context.contextSize);
    if (!this.reusePrefix) await this.sequence.clearHistory();
    const cachedPrefixTokens = Math.min(this.sequence.compareContextTokens(evaluated).firstDifferentIndex, evaluated.length - 1);
    if (cachedPrefixTokens < this.sequence.nextTokenIndex) {
      await this.sequence.eraseContextTokenRanges([{ start: cachedPrefixTokens, end: this.sequence.nextTokenIndex }]);
    }
    const started = performance.now();
    let firstTokenMs: number | undefined;
    let pending: Token[] = evaluated.slice(cachedPrefixTokens);
    let written = 0;
    let decisions = 0;
    const chosen: string[] = [];
    let text = "";
    const room = () => {
      if (this.sequence.nextTokenIndex + pending.length + 1 > this.context.contextSize) {
        throw new LlmContextOverflowError(evaluated.length, written + pending.length, this.context.contextSize);
      }
    };
    for (let step = request.next(chosen); step !== null; step = request.next(chosen)) {
      request.signal?.throwIfAborted();
      if (step.options.length === 0) break;
      const before = model.tokenize(step.before);
      pending.push(...before);
      written += before.length;
      const options = step.options.map((o) => model.tokenize(o));
      let alive = options.map((_, i) => i);
      let at = 0;
      while (alive.length > 1) {
        // An option that ends here while others go on cannot be told apart by a next token: the shortest stays.
        const ended = alive.filter((i) => (options[i]?.length ?? 0) <= at);
        if (ended.length > 0) {
          alive = ended.slice(0, 1);
          break;
        }
        const next = [...new Set(alive.map((i) => options[i]?.[at] as Token))];
        let token = next[0] as Token;
        if (next.length > 1) {
          room();
          const last = pending.length - 1;
          const input = pending.map((t, i): Token | [Token, { generateNext: { logits: { filter: { tokens: Token[] } } } }] =>
            i === last ? [t, { generateNext: { logits: { filter: { tokens: next } } } }] : t,
          );
          const outputs = await this.sequence.controlledEvaluate(input);
          firstTokenMs ??= performance.now() - started;
          decisions++;
          const logits = outputs[last]?.next.logits;
          let best = -Infinity;
          for (const candidate of next) {
            const logit = logits?.get(candidate) ?? -Infinity;
            if (logit > best) [best, token] = [logit, candidate];
          }
          pending = [];
        }
        pending.push(token);
        written++;
        alive = alive.filter((i) => options[i]?.[at] === token);
        at++;
      }
      const index = alive[0] ?? 0;
      // The rest of the only option left is written without asking the model.
      const rest = (options[index] ?? []).slice(at);
      pending.push(...rest);
      written += rest.length;
      chosen.push(step.options[index] ?? "");
      text += step.before + (step.options[index] ?? "");
    }
    // Tokens after the last decision are never evaluated; the next request erases the answer and keeps the prompt prefix it shares.
    return {
      chosen,
      text,
      promptTokens: evaluated.length,
      completionTokens: written,
      decisions,
      durationMs: performance.now() - started,
      cachedPrefixTokens,
      ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
    };
  }

  private withoutLeadingBos(tokens: Token[]): Token[] {
    const bos = this.loaded.model.tokens.bos;
    return bos != null && tokens[0] === bos ? tokens.slice(1) : tokens;
  }

  private grammarFor(schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = this.loaded.llama.createGrammarForJsonSchema(schema as GbnfJsonObjectSchema);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue.idle();
    this.completion.dispose();
    await this.context.dispose();
    await releaseModel(this.modelPath, this.gpu);
  }
}
