import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import {
  buildPlanPrompt,
  LLM_PLAN_JSON_SCHEMA,
  LlmContextOverflowError,
  LlmError,
  LlmPlanError,
  ModelDownloadError,
  ModelNotFoundError,
  planWithLlm,
} from "../../src/planner/llm/index.js";
import { LlamaCppProvider, pullModel } from "../../src/planner/llm/native.js";
import type { JsonSchema } from "../../src/planner/llm/index.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MODELS = [
  { name: "stories260K", path: join(ROOT, "..", "shared", "models", "stories260K", "stories260K.gguf"), missing: "../shared/models/stories260K/stories260K.gguf is absent (see ENVIRONMENT.md)" },
  { name: "tiny random llama", path: join(ROOT, ".cache", "models", "tiny-llama-q8_0.gguf"), missing: ".cache/models/tiny-llama-q8_0.gguf is absent; run `bash scripts/make-models.sh`" },
];
// Both models are tiny: one thread avoids llama.cpp's thread barriers, which stall when tests share 2 cores.
const THREADS = 1;

/** Tight bounds so that even a random model finishes the object well within the token budget. */
const SMALL_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    intent: { type: "string", enum: ["restart", "status", "logs"] },
    namespace: { type: "string", maxLength: 8 },
    command: { type: "string", minLength: 1, maxLength: 12 },
  },
  required: ["intent", "namespace", "command"],
  additionalProperties: false,
};

/**
 * Characters as the grammar counts them. A random model can emit byte tokens that form invalid UTF-8: the
 * grammar counts such a sequence as one character, but it decodes to several U+FFFD. (LlmPlanSchema refuses
 * U+FFFD outright, so such output never becomes a plan.)
 */
function grammarLength(text: unknown): number {
  assert.equal(typeof text, "string");
  return [...(text as string).replace(/\uFFFD+/g, "\uFFFD")].length;
}

function assertSmallSchema(text: string): void {
  const value = JSON.parse(text) as Record<string, unknown>;
  assert.deepEqual(Object.keys(value), ["intent", "namespace", "command"]);
  assert.ok(["restart", "status", "logs"].includes(value["intent"] as string), text);
  assert.ok(grammarLength(value["namespace"]) <= 8, text);
  const command = grammarLength(value["command"]);
  assert.ok(command >= 1 && command <= 12, text);
}

const GOALS = ["restart web in prod", "show the logs of api in shop", "is the db statefulset healthy?"];
const POLICY = "- delete is denied\n- kube-system is read-only";

function prompt(goal: string): { system: string; prompt: string } {
  return buildPlanPrompt({ policySummary: POLICY, context: "restart-deployment: kubectl rollout restart deployment/{name} -n {namespace}", task: { goal } });
}

for (const model of MODELS) {
  const skip = existsSync(model.path) ? false : `skipped: ${model.missing}`;
  describe(`LlamaCppProvider with ${model.name}`, { skip }, () => {
    let provider: LlamaCppProvider;
    before(async () => {
      provider = await LlamaCppProvider.load({ modelPath: model.path, threads: THREADS });
    });
    after(async () => {
      await provider?.close();
    });

    test("grammar-constrained output is schema-valid JSON for every prompt", async () => {
      assert.match(provider.id, /^llama-cpp:.+\.gguf@[0-9a-f]{16}$/);
      // Greedy decoding keeps the test reproducible; sampling runs in the planWithLlm test below.
      for (const goal of GOALS) {
        const result = await provider.generate({ ...prompt(goal), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
        assertSmallSchema(result.text);
        assert.ok(result.promptTokens > 0);
        assert.ok(result.completionTokens > 0 && result.completionTokens <= 320);
      }
    });

    test("the fixed system prefix is evaluated once and reused by the next request", async () => {
      const first = await provider.generate({ ...prompt("restart web in prod"), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      const second = await provider.generate({ ...prompt("list pods in kube-system"), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      const systemOnly = await provider.generate({ system: prompt("x").system, prompt: "", schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      assert.ok(first.promptTokens > 0);
      // Everything up to the first differing token of the goal is reused: at least the whole system part.
      assert.ok((second.cachedPrefixTokens ?? 0) >= systemOnly.promptTokens - 8, `reused ${second.cachedPrefixTokens} of ${second.promptTokens}`);
      assert.ok((second.cachedPrefixTokens ?? 0) < second.promptTokens);
    });

    test("maxTokens bounds the completion", async () => {
      const result = await provider.generate({ ...prompt("restart web"), schema: LLM_PLAN_JSON_SCHEMA, maxTokens: 8, temperature: 0.2 });
      assert.ok(result.completionTokens <= 8, `${result.completionTokens} tokens`);
      assert.ok(result.text.startsWith("{"));
      assert.throws(() => JSON.parse(result.text), "8 tokens cannot hold a whole plan object");
    });

    test("planWithLlm on a real model yields a schema-valid plan or LlmPlanError, nothing else", async () => {
      try {
        const result = await planWithLlm(provider, prompt("restart web in prod"), { maxTokens: 160 });
        assert.ok(result.attempts === 1 || result.attempts === 2);
        assert.ok(result.plan.command.length > 0);
      } catch (error) {
        assert.ok(error instanceof LlmPlanError, String(error));
        assert.equal(error.attempts, 2);
      }
    });

    test("a prompt that cannot fit the context is refused before evaluation", async () => {
      const small = await LlamaCppProvider.load({ modelPath: model.path, threads: THREADS, contextSize: 256 });
      try {
        await assert.rejects(
          small.generate({ ...prompt("restart web"), schema: SMALL_SCHEMA, maxTokens: 160, temperature: 0 }),
          (error: unknown) => error instanceof LlmContextOverflowError && /context size 256/.test(error.message),
        );
      } finally {
        await small.close();
      }
      await assert.rejects(
        small.generate({ ...prompt("restart web"), schema: SMALL_SCHEMA, maxTokens: 8, temperature: 0 }),
        (error: unknown) => error instanceof LlmError && /is closed/.test(error.message),
      );
    });

    test("an already aborted request never runs", async () => {
      const controller = new AbortController();
      controller.abort(new Error("caller gave up"));
      await assert.rejects(
        provider.generate({ ...prompt("restart web"), schema: SMALL_SCHEMA, maxTokens: 32, temperature: 0, signal: controller.signal }),
        /caller gave up/,
      );
    });
  });
}

const tiny = MODELS[1]!;
describe("LlamaCppProvider prefix reuse switched off", { skip: existsSync(tiny.path) ? false : `skipped: ${tiny.missing}` }, () => {
  test("evaluates the whole prompt every time", async () => {
    const provider = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS, reusePrefix: false });
    try {
      for (const goal of GOALS.slice(0, 2)) {
        const result = await provider.generate({ ...prompt(goal), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
        assert.equal(result.cachedPrefixTokens, 0);
      }
    } finally {
      await provider.close();
    }
  });
});

describe("LlamaCppProvider prepare", { skip: existsSync(tiny.path) ? false : `skipped: ${tiny.missing}` }, () => {
  test("evaluates the fixed prefix ahead of time, so the first request reuses all of it", async () => {
    const provider = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS });
    try {
      const { system } = prompt("x");
      await provider.prepare(system);
      await provider.prepare(system);
      // Two user texts that differ from their first character: each reuses exactly the part before them.
      const first = await provider.generate({ system, prompt: "restart web in prod", schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      const second = await provider.generate({ system, prompt: "list pods", schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      assert.ok((first.cachedPrefixTokens ?? 0) > first.promptTokens * 0.8, `reused ${first.cachedPrefixTokens} of ${first.promptTokens}`);
      assert.equal(first.cachedPrefixTokens, second.cachedPrefixTokens);
      assert.ok(first.firstTokenMs !== undefined && first.firstTokenMs <= first.durationMs);
    } finally {
      await provider.close();
    }
  });

  test("the evaluated prefix persists across processes' providers and generates exactly what a fresh evaluation does", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rag-k8s-prefix-"));
    const request = { ...prompt("restart web in prod"), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 } as const;
    const run = async () => {
      const provider = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS, prefixStateDir: dir });
      try {
        await provider.prepare(request.system);
        return await provider.generate(request);
      } finally {
        await provider.close();
      }
    };
    const states = () => readdirSync(dir).filter((f) => f.endsWith(".state"));
    try {
      const evaluated = await run();
      const [file] = states();
      assert.ok(file !== undefined, "prepare saved the prefix");
      const saved = statSync(join(dir, file));
      const restored = await run();
      assert.equal(restored.text, evaluated.text);
      assert.equal(restored.cachedPrefixTokens, evaluated.cachedPrefixTokens);
      assert.equal(statSync(join(dir, file)).mtimeMs, saved.mtimeMs, "the second provider loaded the state instead of evaluating and saving again");

      truncateSync(join(dir, file), 100);
      const afterCorruption = await run();
      assert.equal(afterCorruption.text, evaluated.text, "a damaged state is evaluated again, not trusted");
      assert.ok(statSync(join(dir, file)).size > 100, "and saved again");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a new system prompt replaces the old prefix; with reuse off prepare does nothing", async () => {
    const provider = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS });
    const uncached = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS, reusePrefix: false });
    try {
      await provider.prepare("other rules");
      await provider.prepare(prompt("x").system);
      const result = await provider.generate({ ...prompt("restart web"), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      assert.ok((result.cachedPrefixTokens ?? 0) > result.promptTokens / 2, `reused ${result.cachedPrefixTokens} of ${result.promptTokens}`);
      await uncached.prepare(prompt("x").system);
      const cold = await uncached.generate({ ...prompt("restart web"), schema: SMALL_SCHEMA, maxTokens: 320, temperature: 0 });
      assert.equal(cold.cachedPrefixTokens, 0);
    } finally {
      await provider.close();
      await uncached.close();
    }
  });

  test("a prompt that nearly fills the context keeps its beginning: nothing is cut to make room", async () => {
    const provider = await LlamaCppProvider.load({ modelPath: tiny.path, threads: THREADS, contextSize: 1024 });
    try {
      // The tiny vocabulary has no letter pairs: each "x" is one token.
      const system = "x".repeat(940);
      const first = await provider.generate({ system, prompt: "restart web", schema: SMALL_SCHEMA, maxTokens: 8, temperature: 0 });
      assert.ok(first.promptTokens > 1024 * 0.9, `${first.promptTokens} prompt tokens`);
      const second = await provider.generate({ system, prompt: "list pods", schema: SMALL_SCHEMA, maxTokens: 8, temperature: 0 });
      // Had the start been cut, the sequence would no longer begin like the prompt and nothing would be reused.
      assert.ok((second.cachedPrefixTokens ?? 0) >= 940, `reused ${second.cachedPrefixTokens} of ${second.promptTokens}`);
    } finally {
      await provider.close();
    }
  });
});

describe("model files", () => {
  test("a missing model names the path and how to get one", async () => {
    const missing = join(tmpdir(), "rag-k8s-no-such-model.gguf");
    await assert.rejects(LlamaCppProvider.load({ modelPath: missing }), (error: unknown) => {
      assert.ok(error instanceof ModelNotFoundError);
      assert.equal(error.modelPath, missing);
      assert.match(error.message, /rag-k8s model pull hf:<user>\/<repo>\/<file>\.gguf/);
      return true;
    });
  });

  test("pulling from an unreachable URL fails at once, naming the URI", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const uri = `http://127.0.0.1:${port}/model.gguf`;
    await assert.rejects(pullModel(uri, join(tmpdir(), "rag-k8s-pull-test")), (error: unknown) => {
      assert.ok(error instanceof ModelDownloadError);
      assert.equal(error.uri, uri);
      assert.match(error.message, /ECONNREFUSED/);
      return true;
    });
  });

  test("pulling a file the server does not have reports the HTTP status", async () => {
    const server = createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/missing.gguf`;
    try {
      await assert.rejects(pullModel(uri, join(tmpdir(), "rag-k8s-pull-test")), /answered HTTP 404/);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test("a URI that is neither hf: nor http(s) is refused", async () => {
    await assert.rejects(pullModel("models/local.gguf", tmpdir()), /expected hf:<user>\/<repo>\/<file>\.gguf/);
  });
});
