// The packed package, installed the way a user installs it: into an empty folder with a fresh HOME. Proves the base
// install needs no native build and no download beyond the npm registry, stays small, and that the CLI, the tour
// and the MCP face work from it. Optional add-ons (local LLM, embeddings, HNSW) must stay out of it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const MAX_INSTALL_BYTES = 100 * 1024 * 1024;
const OPTIONAL_ADDONS = ["node-llama-cpp", "@huggingface/transformers", "hnswlib-node", "onnxruntime-node"];
// Bundled at build time (dist/vendor): the package itself ships every encoding in four builds, 51 MB.
const DEV_ONLY = ["gpt-tokenizer"];

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-packed-"));
const home = join(dir, "home");
const app = join(dir, "app");
const bin = join(app, "node_modules", ".bin", "rag-k8s");
// Nothing from the developer's environment that could point at a cluster, a config or a different registry mirror.
const env = {
  PATH: process.env["PATH"] ?? "",
  HOME: home,
  TMPDIR: dir,
  // The developer's npm cache: the registry is still the only source, the test just avoids re-downloading.
  npm_config_cache: process.env["npm_config_cache"] ?? join(homedir(), ".npm"),
};

function du(path: string): number {
  const stats = statSync(path, { throwIfNoEntry: false });
  if (!stats) return 0;
  if (!stats.isDirectory()) return stats.size;
  return readdirSync(path).reduce((sum, name) => sum + du(join(path, name)), 0);
}

before(() => {
  assert.ok(existsSync(join(ROOT, "dist", "cli", "main.js")), "dist/ is missing: run `npm run build` first");
  mkdirSync(home);
  mkdirSync(app);
  const packed = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], { cwd: ROOT, env, encoding: "utf8" }).trim().split("\n").at(-1) ?? "";
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "fresh-user", private: true }));
  const install = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(dir, packed)], { cwd: app, env, encoding: "utf8", timeout: 240_000 });
  assert.equal(install.status, 0, `npm install of the packed package failed:\n${install.stdout}\n${install.stderr}`);
  assert.doesNotMatch(install.stdout + install.stderr, /node-gyp|gyp info|prebuild|downloading/i, "the base install ran a native build or a download");
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("the base install carries none of the optional add-ons and stays under 100 MB", () => {
  for (const name of [...OPTIONAL_ADDONS, ...DEV_ONLY]) assert.equal(existsSync(join(app, "node_modules", name)), false, `${name} was installed`);
  const bytes = du(join(app, "node_modules"));
  assert.ok(bytes < MAX_INSTALL_BYTES, `node_modules holds ${(bytes / 1024 / 1024).toFixed(1)} MB`);
});

test("--help and the tour run from the installed package", { timeout: 120_000 }, () => {
  const help = spawnSync(bin, ["--help"], { cwd: app, env, encoding: "utf8" });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /Usage: rag-k8s/);
  const tour = spawnSync(bin, ["tour"], { cwd: app, env, encoding: "utf8", timeout: 90_000 });
  assert.equal(tour.status, 0, `${tour.stdout}\n${tour.stderr}`);
  assert.match(tour.stdout, /sandbox/i);
});

test("token budgets work from the installed package (the tokenizer bundled at build time)", () => {
  const retrieve = spawnSync(bin, ["retrieve", "-q", "restart a deployment", "--budget", "300", "--json"], { cwd: app, env, encoding: "utf8" });
  assert.equal(retrieve.status, 0, retrieve.stderr);
  const context = JSON.parse(retrieve.stdout) as { tokens: number; cards: string[] };
  assert.ok(context.tokens > 0 && context.tokens <= 300, `counted ${context.tokens} tokens`);
  assert.ok(context.cards.length > 0);
});

test("an MCP client can call a tool of the installed package", { timeout: 60_000 }, async () => {
  const transport = new StdioClientTransport({ command: bin, args: ["mcp"], cwd: app, env, stderr: "pipe" });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "packed-install-test", version: "0.0.0" });
  await client.connect(transport);
  try {
    const result = (await client.callTool({ name: "k8s_validate", arguments: { command: "kubectl get pods -n staging" } })) as CallToolResult;
    assert.equal(result.isError ?? false, false, stderr);
    assert.match(JSON.stringify(result.structuredContent), /"decision":"allow"/, stderr);
  } finally {
    await client.close();
  }
});
