import assert from "node:assert/strict";
import { lookup } from "node:dns/promises";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo, Server } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HIDE_PACKAGE_HOOK, cli, expectExit, expectOneLineError, freshHome, runNode } from "./harness.js";

const fresh = freshHome("rough-edges");
after(fresh.dispose);

describe("clean one-line errors with the fix", { concurrency: 4 }, () => {
  let busy: Server;
  let port = 0;
  before(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  test("serve on a busy port: exit 1, one line naming the port and what to do", async () => {
    const run = await cli(["serve", "--port", String(port)], fresh.env());
    expectExit(run, 1);
    expectOneLineError(run, new RegExp(`^rag-k8s: port ${port} is in use: pass --port or stop the other process$`));
  });

  test("mcp --http on a busy port: the same line", async () => {
    const run = await cli(["mcp", "--http", "--port", String(port)], fresh.env());
    expectExit(run, 1);
    expectOneLineError(run, new RegExp(`port ${port} is in use: pass --port or stop the other process`));
  });

  test("model pull with nothing answering: exit 1, one line", async () => {
    // A loopback port nobody listens on stands for "offline": refused at once, no network needed.
    const run = await cli(["model", "pull", `http://127.0.0.1:${port + 1 === 65_536 ? 1 : port + 1}/model.gguf`], fresh.env());
    expectExit(run, 1);
    expectOneLineError(run, /cannot download model http:\/\/127\.0\.0\.1:\d+\/model\.gguf: cannot reach/);
  });

  test("model pull-embedder offline: exit 1, one line that says it needs huggingface.co", async (t) => {
    const online = await lookup("huggingface.co").then(
      () => true,
      () => false,
    );
    if (online) return t.skip("huggingface.co resolves here: the command would download the model");
    const run = await cli(["model", "pull-embedder"], fresh.env());
    expectExit(run, 1);
    expectOneLineError(run, /cannot download the embedding model Xenova\/all-MiniLM-L6-v2: .*needs internet access to huggingface\.co/);
  });
});

describe("a missing optional add-on names the exact install command", { concurrency: 3 }, () => {
  const hidden = (name: string) => fresh.env({ HIDE_PACKAGE: name });

  test("model pull without node-llama-cpp", async () => {
    const run = await cli(["model", "pull", "hf:org/repo/model.gguf"], hidden("node-llama-cpp"), [HIDE_PACKAGE_HOOK]);
    expectExit(run, 1);
    expectOneLineError(run, /needs the optional package node-llama-cpp, which is not installed\. Install it next to rag-k8s: npm install node-llama-cpp@"\^3\.\d+\.\d+"/);
  });

  test("model pull-embedder without @huggingface/transformers", async () => {
    const run = await cli(["model", "pull-embedder"], hidden("@huggingface/transformers"), [HIDE_PACKAGE_HOOK]);
    expectExit(run, 1);
    expectOneLineError(run, /npm install @huggingface\/transformers@"\^4\.\d+\.\d+"/);
  });

  test("a configured llama-cpp planner (library): loading the provider names the package", async () => {
    const script = [
      'import { providerFromConfig } from "./src/app/model.ts";',
      'import { loadConfig } from "./src/config/index.ts";',
      'const { config } = loadConfig({ overrides: { llm: { provider: "llama-cpp", modelPath: "/nonexistent/model.gguf", contextSize: 4096 } } });',
      "const load = providerFromConfig(config);",
      "await load().then(() => console.log('loaded'), (e) => console.log(JSON.stringify({ name: e.name, kind: e.kind, message: e.message })));",
    ].join("\n");
    const run = await runNode(["--import", "tsx", "--import", HIDE_PACKAGE_HOOK, "--input-type=module", "-e", script], hidden("node-llama-cpp"));
    expectExit(run, 0);
    const error = JSON.parse(run.stdout) as { name: string; kind: string; message: string };
    assert.equal(error.name, "OptionalPackageMissingError");
    assert.equal(error.kind, "environment");
    assert.match(error.message, /npm install node-llama-cpp@"\^3/);
  });
});

describe("search and retrieve take the query the same way", { concurrency: 4 }, () => {
  const ids = (stdout: string, key: "hits" | "cards") => {
    const parsed = JSON.parse(stdout) as { hits?: { id: string }[]; cards?: string[] };
    return key === "hits" ? (parsed.hits ?? []).map((h) => h.id) : (parsed.cards ?? []);
  };
  for (const command of ["search", "retrieve"] as const) {
    test(`${command}: words and -q give the same cards; both at once is a usage error`, async () => {
      const key = command === "search" ? "hits" : "cards";
      const [words, flag, both] = await Promise.all([
        cli([command, "restart", "a", "deployment", "--json"], fresh.env()),
        cli([command, "-q", "restart a deployment", "--json"], fresh.env()),
        cli([command, "restart", "-q", "restart a deployment"], fresh.env()),
      ]);
      expectExit(words, 0);
      expectExit(flag, 0);
      assert.ok(ids(words.stdout, key).length > 0);
      assert.deepEqual(ids(words.stdout, key), ids(flag.stdout, key));
      assert.ok(ids(words.stdout, key).includes("deployment-restart"), words.stdout);
      expectExit(both, 2);
      expectOneLineError(both, /give the query as words or with -q\/--query, not both/);
    });
  }
});

describe("eval: thresholds decide the exit code, and nothing lands in the audit log", { concurrency: 3 }, () => {
  const dir = join(fresh.home, "eval");
  mkdirSync(dir, { recursive: true });
  const right = '{"id": "right", "request": {"intent": "restart", "resource": "deployment", "namespace": "staging", "name": "web"}, "expect": {"command": "kubectl rollout restart deployment/web -n staging"}}';
  // Answered needs_input (a name is missing), not the status expected: a miss, but no wrong command.
  const miss = '{"id": "miss", "request": {"intent": "restart", "resource": "deployment", "namespace": "staging"}, "expect": {"status": "planned"}}';
  const half = join(dir, "half.jsonl");
  writeFileSync(half, `${right}\n${miss}\n`);
  const halfWithThreshold = join(dir, "half-threshold.jsonl");
  writeFileSync(halfWithThreshold, `{"minAccuracy": 0.5}\n${right}\n${miss}\n`);

  const rows = [
    { label: "below the default threshold (every case right)", args: ["--set", half], exit: 1, verdict: /^FAIL .*half\.jsonl: 50\.0% correct \(threshold 100\.0%\)/m },
    { label: "at the set's own threshold", args: ["--set", halfWithThreshold], exit: 0, verdict: /^PASS .*half-threshold\.jsonl: 50\.0% correct \(threshold 50\.0%\)/m },
    { label: "--min-accuracy overrides the set's", args: ["--set", halfWithThreshold, "--min-accuracy", "0.75"], exit: 1, verdict: /^FAIL .*threshold 75\.0%/m },
    { label: "--min-accuracy must be a fraction", args: ["--set", half, "--min-accuracy", "75"], exit: 2, verdict: null },
  ] as const;
  for (const row of rows) {
    test(`${row.label}: exit ${row.exit}`, async () => {
      const audit = join(dir, `audit-${rows.indexOf(row)}.jsonl`);
      const run = await cli(["eval", ...row.args], fresh.env({ RAGK8S_AUDIT_PATH: audit }));
      expectExit(run, row.exit);
      if (row.verdict) assert.match(run.stdout, row.verdict);
      assert.equal(existsSync(audit), false, "eval wrote to the audit log");
    });
  }
});

describe("config show names the files it loaded", () => {
  test("the user file and the project file, in the order they apply", async () => {
    const userDir = join(fresh.home, ".config", "rag-k8s");
    mkdirSync(userDir, { recursive: true });
    writeFileSync(join(userDir, "config.yaml"), "retrieval: { k: 5 }\n");
    const project = join(fresh.home, "project.yaml");
    writeFileSync(project, "llm: { contextSize: 4096 }\n");
    const [text, json] = await Promise.all([cli(["--config", project, "config", "show"], fresh.env()), cli(["--config", project, "config", "show", "--json"], fresh.env())]);
    expectExit(text, 0);
    assert.match(text.stdout, new RegExp(`^config files: ${join(userDir, "config.yaml")}, ${project}$`, "m"));
    assert.match(text.stdout, /^llm\.contextSize += 4096 /m);
    expectExit(json, 0);
    const shown = JSON.parse(json.stdout) as { files: string[]; config: { llm: { contextSize: number }; retrieval: { k: number } } };
    assert.deepEqual(shown.files, [join(userDir, "config.yaml"), project]);
    assert.equal(shown.config.llm.contextSize, 4096);
    assert.equal(shown.config.retrieval.k, 5);
  });
});
