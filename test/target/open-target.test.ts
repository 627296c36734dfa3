/** openTarget (the runtime's target): a running `rag-k8s sandbox` is reused (unless a fixture seeds a fresh one), kube.contexts is checked, --context is always added. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { openTarget, TargetError } from "../../src/app/target.js";
import { loadConfig } from "../../src/config/index.js";
import type { Config, DeepPartial } from "../../src/config/index.js";
import { recordSandbox } from "../../src/target/index.js";

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-open-target-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const kubeconfig = join(dir, "kubeconfig");
writeFileSync(
  kubeconfig,
  [
    "apiVersion: v1",
    "kind: Config",
    "current-context: prod-eu",
    "clusters:",
    "- {name: eu, cluster: {server: 'https://eu.invalid:6443'}}",
    "- {name: us, cluster: {server: 'https://us.invalid:6443'}}",
    "contexts:",
    "- {name: prod-eu, context: {cluster: eu}}",
    "- {name: staging-us, context: {cluster: us}}",
    "users: []",
  ].join("\n"),
);

function config(home: string, overrides: DeepPartial<Config> = {}): Config {
  return loadConfig({ cwd: home, env: { HOME: home }, overrides: { logLevel: "silent", ...overrides } }).config;
}

test("a cluster target always adds --context (the current-context when none was asked for) and resolves kube.contexts", async () => {
  const opened = await openTarget(config(dir, { kube: { kubeconfig, contexts: ["staging-us"] } }), { env: { HOME: dir, PATH: "" } });
  assert.deepEqual(opened.targetArgs, ["--context", "prod-eu"]);
  assert.deepEqual(opened.target.record, { kind: "cluster", context: "prod-eu", server: "https://eu.invalid:6443" });
  assert.equal(opened.env["KUBECONFIG"], kubeconfig);
  assert.deepEqual(opened.contexts.get("staging-us"), { targetArgs: ["--context", "staging-us"], record: { kind: "cluster", context: "staging-us", server: "https://us.invalid:6443" } });
  await opened.close();
});

test("kube.contexts naming a context the kubeconfig lacks, or used with the sandbox, is an error before anything starts", async () => {
  await assert.rejects(openTarget(config(dir, { kube: { kubeconfig, contexts: ["prod-us"] } }), { env: { HOME: dir } }), (error: unknown) => error instanceof TargetError && /prod-us/.test(error.message) && /prod-eu, staging-us/.test(error.message));
  const empty = mkdtempSync(join(dir, "home-"));
  await assert.rejects(openTarget(config(empty, { kube: { contexts: ["prod-eu"] } }), { env: { HOME: empty }, sandbox: "never" }), (error: unknown) => error instanceof TargetError && error.kind === "environment");
});

test("a running `rag-k8s sandbox` is used through its kubeconfig; no sandbox is started", async () => {
  const home = mkdtempSync(join(dir, "home-"));
  const env = { HOME: home, XDG_STATE_HOME: join(home, "state") };
  const running = join(home, "sandbox.kubeconfig");
  recordSandbox({ pid: process.pid, url: "https://127.0.0.1:1", kubeconfig: running, startedAt: new Date().toISOString() }, env);
  const opened = await openTarget(config(home), { env });
  assert.equal(opened.sandbox, null);
  assert.equal(opened.env["KUBECONFIG"], running);
  assert.deepEqual(opened.target.record, { kind: "sandbox" });
  assert.match(opened.target.describe, /running `rag-k8s sandbox`/);
  await opened.close();
});

test("a fixture starts a sandbox seeded with it, even while a `rag-k8s sandbox` (seeded otherwise) is running", async () => {
  const home = mkdtempSync(join(dir, "home-"));
  const env = { HOME: home, XDG_STATE_HOME: join(home, "state") };
  const running = join(home, "sandbox.kubeconfig");
  recordSandbox({ pid: process.pid, url: "https://127.0.0.1:1", kubeconfig: running, startedAt: new Date().toISOString() }, env);
  const fixture = join(dir, "fixture.yaml");
  writeFileSync(fixture, "objects:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: seeded-only}}\n");
  const opened = await openTarget(config(home), { env, sandbox: "always", fixture });
  try {
    assert.notEqual(opened.sandbox, null);
    assert.notEqual(opened.env["KUBECONFIG"], running);
    assert.match(opened.target.describe, /one-shot/);
    assert.ok(opened.sandbox?.get("namespaces", undefined, "seeded-only"), "the started sandbox holds the fixture's objects");
  } finally {
    await opened.close();
  }
});
