import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, describe, it } from "node:test";
import { forgetSandbox, recordSandbox, resolveTarget, runningSandbox } from "../../src/target/index.js";
import type { TargetRequest } from "../../src/target/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-target-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function kubeconfig(current: string | null, contexts: Record<string, string>): string {
  const clusters = Object.values(contexts).map((server, i) => `- name: c${i}\n  cluster:\n    server: ${server}\n`);
  const entries = Object.keys(contexts).map((name, i) => `- name: ${name}\n  context:\n    cluster: c${i}\n    user: u\n`);
  return `apiVersion: v1\nkind: Config\n${current ? `current-context: ${current}\n` : ""}clusters:\n${clusters.join("")}contexts:\n${entries.join("")}users:\n- name: u\n  user:\n    token: not-read\n`;
}

/** A fresh HOME, optionally with ~/.kube/config. */
function home(config?: string): string {
  const dir = join(root, `home${n++}`);
  mkdirSync(join(dir, ".kube"), { recursive: true });
  if (config !== undefined) writeFileSync(join(dir, ".kube", "config"), config);
  return dir;
}

function file(text: string): string {
  const path = join(root, `kubeconfig${n++}`);
  writeFileSync(path, text);
  return path;
}

const PROD = kubeconfig("prod-eu", { "prod-eu": "https://prod.example:6443", staging: "https://staging.example:6443" });

type Expect = { ok: true; kind: "sandbox" | "cluster"; describe: RegExp; context?: string; explicit?: boolean } | { ok: false; kind: "usage" | "environment"; message: RegExp };
const cases: [string, () => TargetRequest, Expect][] = [
  ["nothing configured: a one-shot sandbox that says its changes are discarded", () => ({ env: { HOME: home() } }), { ok: true, kind: "sandbox", describe: /one-shot.*discarded/ }],
  ["~/.kube/config: its current context, named with its server and where it came from", () => ({ env: { HOME: home(PROD) } }), { ok: true, kind: "cluster", context: "prod-eu", explicit: false, describe: /^context prod-eu @ https:\/\/prod\.example:6443 \(from ~\/\.kube\/config\)$/ }],
  ["--context picks another context of ~/.kube/config", () => ({ context: { value: "staging", source: "flag" }, env: { HOME: home(PROD) } }), { ok: true, kind: "cluster", context: "staging", explicit: true, describe: /staging @ https:\/\/staging\.example/ }],
  ["--kubeconfig that does not exist", () => ({ kubeconfig: { value: "/nope/config", source: "flag" }, env: { HOME: home() } }), { ok: false, kind: "environment", message: /kubeconfig not found: \/nope\/config \(kubeconfig from flag\).*--sandbox/ }],
  ["--sandbox with --kubeconfig", () => ({ sandbox: true, kubeconfig: { value: file(PROD), source: "flag" }, env: { HOME: home() } }), { ok: false, kind: "usage", message: /--sandbox and --kubeconfig/ }],
  ["--sandbox with --context", () => ({ sandbox: true, context: { value: "prod-eu", source: "flag" }, env: { HOME: home() } }), { ok: false, kind: "usage", message: /Drop --context or --sandbox/ }],
  ["--sandbox beats a kubeconfig from the environment", () => ({ sandbox: true, kubeconfig: { value: file(PROD), source: "env:KUBECONFIG" }, env: { HOME: home(PROD) } }), { ok: true, kind: "sandbox", describe: /sandbox/ }],
  ["--context without any kubeconfig", () => ({ context: { value: "prod-eu", source: "flag" }, env: { HOME: home() } }), { ok: false, kind: "usage", message: /needs a kubeconfig/ }],
  ["a context the kubeconfig does not define", () => ({ context: { value: "prod-us", source: "flag" }, env: { HOME: home(PROD) } }), { ok: false, kind: "usage", message: /"prod-us" is not in kubeconfig .*its contexts: prod-eu, staging/ }],
  ["a kubeconfig without current-context", () => ({ kubeconfig: { value: file(kubeconfig(null, { a: "https://a:6443" })), source: "env:KUBECONFIG" }, env: { HOME: home() } }), { ok: false, kind: "environment", message: /sets no current-context; pass --context with one of: a/ }],
  ["a file that is not YAML", () => ({ kubeconfig: { value: file("{{{"), source: "flag" }, env: { HOME: home() } }), { ok: false, kind: "environment", message: /not valid YAML/ }],
  [
    "a KUBECONFIG list merges first-wins, skipping missing files like kubectl",
    () => ({ kubeconfig: { value: ["/missing", file(kubeconfig("b", { b: "https://first:1" })), file(kubeconfig("a", { b: "https://second:2", a: "https://a:3" }))].join(delimiter), source: "env:KUBECONFIG" }, env: { HOME: home() } }),
    { ok: true, kind: "cluster", context: "b", describe: /b @ https:\/\/first:1 \(from env:KUBECONFIG\)/ },
  ],
];

describe("resolveTarget", () => {
  for (const [label, request, expected] of cases) {
    it(label, () => {
      const result = resolveTarget(request());
      if (!expected.ok) {
        assert.equal(result.ok, false, label);
        if (result.ok) return;
        assert.equal(result.kind, expected.kind);
        assert.match(result.message, expected.message);
        return;
      }
      assert.ok(result.ok, result.ok ? "" : result.message);
      assert.equal(result.target.kind, expected.kind);
      assert.match(result.target.describe, expected.describe);
      if (result.target.kind === "cluster") {
        assert.equal(result.target.context, expected.context);
        if (expected.explicit !== undefined) assert.equal(result.target.contextExplicit, expected.explicit);
        assert.doesNotMatch(JSON.stringify(result.target), /not-read/, "credentials never leave the kubeconfig reader");
      }
    });
  }

  it("uses a running `rag-k8s sandbox` when nothing else is configured, and ignores a dead one", () => {
    const env = { HOME: home() };
    recordSandbox({ pid: process.pid, url: "https://127.0.0.1:41234", kubeconfig: "/state/kubeconfig", startedAt: new Date().toISOString() }, env);
    const running = resolveTarget({ env });
    assert.ok(running.ok && running.target.kind === "sandbox");
    assert.equal(running.target.mode, "running");
    assert.equal(running.target.kubeconfig, "/state/kubeconfig");
    assert.match(running.target.describe, /sandbox at https:\/\/127\.0\.0\.1:41234/);
    for (const sandbox of [false, true]) {
      const seeded = resolveTarget({ env, sandbox, seededSandbox: true });
      assert.ok(seeded.ok && seeded.target.kind === "sandbox" && seeded.target.mode === "one-shot", "a caller seeding its own sandbox never gets the running one");
    }

    forgetSandbox(process.pid + 1, env);
    assert.ok(runningSandbox(env), "another process's forget leaves the record alone");
    forgetSandbox(process.pid, env);
    assert.equal(runningSandbox(env), null);

    // A pid that cannot exist (above the kernel's pid_max) stands for a sandbox that has exited.
    recordSandbox({ pid: 2 ** 22 + 1, url: "https://127.0.0.1:1", kubeconfig: "/x", startedAt: "" }, env);
    const dead = resolveTarget({ env });
    assert.ok(dead.ok && dead.target.kind === "sandbox" && dead.target.mode === "one-shot");
  });
});
