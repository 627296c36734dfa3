import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const CLI = resolve(fileURLToPath(new URL("../../../src/interfaces/cli/main.ts", import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), "rag-k8s-mcp-life-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("zero-config `rag-k8s mcp` serves the built-in sandbox and cleans it up when the client leaves", { timeout: 60_000 }, async () => {
  const scratchParent = join(dir, "tmp");
  mkdirSync(scratchParent);
  const auditPath = join(dir, "audit.jsonl");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", import.meta.resolve("tsx"), CLI, "mcp"],
    cwd: dir,
    // No kubeconfig anywhere under HOME: the runtime starts its own sandbox, with its scratch folder under TMPDIR.
    env: { PATH: process.env["PATH"] ?? "", HOME: dir, TMPDIR: scratchParent, RAGK8S_AUDIT_PATH: auditPath },
    stderr: "pipe",
  });
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: "rag-k8s-test", version: "0.0.0" });
  await client.connect(transport);
  const exited = new Promise<void>((resolveExit) => {
    const protocolOnClose = transport.onclose;
    transport.onclose = () => {
      protocolOnClose?.();
      resolveExit();
    };
  });

  const result = (await client.callTool({ name: "k8s_exec", arguments: { intent: "restart", resource: "deployment", namespace: "staging", name: "web" } })) as CallToolResult;
  const response = result.structuredContent as { status: string; operationId: string };
  assert.equal(response.status, "succeeded", `${JSON.stringify(result.content)}\n${stderr}`);
  assert.ok(readdirSync(scratchParent).some((name) => name.startsWith("rag-k8s-sandbox-")), "the sandbox's scratch folder exists while serving");

  await client.close();
  await exited;
  // Killed servers (SIGTERM/SIGKILL from the client after its grace period) leave the scratch folder behind.
  assert.deepEqual(readdirSync(scratchParent).filter((name) => name.startsWith("rag-k8s-sandbox-")), [], `the server shut down by itself\n${stderr}`);
  assert.ok(readFileSync(auditPath, "utf8").includes(`"operationId":"${response.operationId}"`), "the operation was audited");
});

test("a target that cannot be opened: the tools are listed, then the server stops with the error and exit code 1", { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), CLI, "mcp"], {
    cwd: dir,
    env: { PATH: process.env["PATH"] ?? "", HOME: dir, KUBECONFIG: join(dir, "no-such-kubeconfig") },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const answers: { id?: number; result?: { tools?: unknown[] } }[] = [];
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    for (let nl = pending.indexOf("\n"); nl >= 0; nl = pending.indexOf("\n")) {
      const message = JSON.parse(pending.slice(0, nl)) as { id?: number; result?: { tools?: unknown[] } };
      pending = pending.slice(nl + 1);
      answers.push(message);
      if (message.id === 0) {
        send({ jsonrpc: "2.0", method: "notifications/initialized" });
        send({ jsonrpc: "2.0", id: 1, method: "tools/list" });
      }
    }
  });
  const code = new Promise<number | null>((resolveExit) => child.on("close", resolveExit));
  send({ jsonrpc: "2.0", id: 0, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "test", version: "0" } } });
  assert.equal(await code, 1, stderr);
  assert.equal(answers.find((a) => a.id === 1)?.result?.tools?.length, 6, "tools/list was answered before the runtime was built");
  assert.match(stderr, /kubeconfig not found: .*no-such-kubeconfig/);
});
