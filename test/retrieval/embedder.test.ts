import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { EmbeddingModelMissingError, TransformersEmbedder, createRetriever } from "../../src/retrieval/index.js";
import { SMALL_CARDS } from "./helpers.js";

const MODEL_DIR = fileURLToPath(new URL("../../.cache/models/minilm-random", import.meta.url));
const built = existsSync(join(MODEL_DIR, "onnx", "model.onnx")) && existsSync(join(MODEL_DIR, "reference.json"));
// CI builds the model before testing (.ci/run), so there a missing model is a failure, never a silent skip.
const skip = built || process.env.CI ? false : "random MiniLM not built: run `bash scripts/make-minilm.sh` first";

interface Reference {
  sentences: string[];
  embeddings: number[][];
}

describe("TransformersEmbedder on the random-weight MiniLM", { skip }, () => {
  let fp32: TransformersEmbedder;
  let q8: TransformersEmbedder;
  let reference: Reference;
  before(async () => {
    assert.ok(built, `random MiniLM missing in ${MODEL_DIR}; run bash scripts/make-minilm.sh`);
    reference = JSON.parse(readFileSync(join(MODEL_DIR, "reference.json"), "utf8")) as Reference;
    fp32 = await TransformersEmbedder.load({ modelDir: MODEL_DIR, dtype: "fp32" });
    q8 = await TransformersEmbedder.load({ modelDir: MODEL_DIR });
  });
  after(async () => {
    await fp32?.dispose();
    await q8?.dispose();
  });

  test("fp32 vectors equal the PyTorch reference within 1e-4", async () => {
    const vectors = await fp32.embed(reference.sentences);
    assert.equal(vectors.length, reference.embeddings.length);
    vectors.forEach((vector, i) => {
      const expected = reference.embeddings[i]!;
      const worst = Math.max(...Array.from(vector, (v, d) => Math.abs(v - expected[d]!)));
      assert.ok(worst < 1e-4, `sentence ${i}: max deviation ${worst}`);
    });
  });

  test("vectors are 384-d, L2-normalized and deterministic, in q8 and fp32", async () => {
    for (const embedder of [fp32, q8]) {
      assert.equal(embedder.dimension, 384);
      const texts = ["restart web", "why does my pod keep crashing in a loop after the last deploy?", "x"];
      const first = await embedder.embed(texts);
      const second = await embedder.embed([...texts].reverse());
      first.forEach((vector, i) => {
        assert.equal(vector.length, 384);
        assert.ok(Math.abs(Math.hypot(...vector) - 1) < 1e-5);
        assert.deepEqual(vector, second[texts.length - 1 - i], "same text, same vector, whatever the batch");
      });
    }
  });

  test("embedder ids name the weights variant", () => {
    assert.match(q8.id, /^minilm:minilm-random@q8-[0-9a-f]{12}$/);
    assert.match(fp32.id, /^minilm:minilm-random@fp32-[0-9a-f]{12}$/);
  });

  test("batches larger than the batch size keep input order", async () => {
    const small = await TransformersEmbedder.load({ modelDir: MODEL_DIR, dtype: "fp32", batchSize: 2 });
    try {
      const texts = ["a", "b c", "cordon node", "logs", "scale"];
      const batched = await small.embed(texts);
      const single = await Promise.all(texts.map(async (t) => (await fp32.embed([t]))[0]!));
      batched.forEach((v, i) => assert.ok(Math.max(...Array.from(v, (x, d) => Math.abs(x - single[i]![d]!))) < 1e-5));
    } finally {
      await small.dispose();
    }
  });

  test("semantic and hybrid retrieval run on it end to end", async () => {
    for (const mode of ["semantic", "hybrid"] as const) {
      const retriever = await createRetriever({ cards: SMALL_CARDS, mode, embedder: q8 });
      assert.equal(retriever.mode, mode);
      const hits = await retriever.search("restart the db sts", { k: 3 });
      assert.equal(hits.length, 3);
      assert.ok(hits.every((h) => h.ranks.semantic !== undefined));
    }
  });
});

describe("missing model", () => {
  const empty = mkdtempSync(join(tmpdir(), "rag-k8s-nomodel-"));
  after(() => rmSync(empty, { recursive: true, force: true }));

  test("a missing directory or missing weights give EmbeddingModelMissingError naming the fix", async () => {
    for (const dir of [join(empty, "absent"), empty]) {
      await assert.rejects(TransformersEmbedder.load({ modelDir: dir }), (error: unknown) => {
        assert.ok(error instanceof EmbeddingModelMissingError);
        assert.equal(error.modelDir, dir);
        assert.match(error.message, /rag-k8s model pull-embedder/);
        assert.match(error.message, /onnx\/model_quantized\.onnx/);
        assert.match(error.message, /afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1/);
        return true;
      });
    }
  });

  const shared = fileURLToPath(new URL("../../../shared/models/all-MiniLM-L6-v2", import.meta.url));
  const sharedSkip = existsSync(join(shared, "tokenizer.json")) ? false : "no ../shared/models/all-MiniLM-L6-v2 here";
  test("tokenizer files without weights (the shared MiniLM folder's state) are reported as missing weights", { skip: sharedSkip }, async () => {
    await assert.rejects(TransformersEmbedder.load({ modelDir: shared, dtype: "q8" }), /onnx\/model_quantized\.onnx/);
  });

  test("the retriever falls back to lexical with a warning and keeps working", async () => {
    const warnings: string[] = [];
    const retriever = await createRetriever({
      cards: SMALL_CARDS,
      mode: "hybrid",
      embedder: () => TransformersEmbedder.load({ modelDir: join(empty, "absent") }),
      onWarning: (m) => warnings.push(m),
    });
    assert.equal(retriever.mode, "lexical");
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /embedding model not found.*Falling back to lexical retrieval/s);
    const [hit] = await retriever.search("bounce the web deployment");
    assert.equal(hit?.card.id, "deployment-restart");
  });
});
