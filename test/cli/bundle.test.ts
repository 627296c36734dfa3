import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";

/**
 * The package's `rag-k8s` bin is the esbuild bundle in dist/cli (built by `npm run build`, which `npm ci` runs),
 * not the tsx entry the other CLI tests use. These tests run a copy of the built package, so that policy files
 * can be edited without touching the repository.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUNDLE = join(ROOT, "dist", "cli", "main.js");
const work = mkdtempSync(join(tmpdir(), "rag-k8s-bundle-"));
const pkg = join(work, "pkg");
after(() => rmSync(work, { recursive: true, force: true }));

before(() => {
  assert.ok(existsSync(BUNDLE), `${BUNDLE} is missing: run \`npm run build\` (npm ci runs it) before the tests`);
  mkdirSync(join(pkg, "dist"), { recursive: true });
  for (const dir of ["cli", "vendor"]) cpSync(join(ROOT, "dist", dir), join(pkg, "dist", dir), { recursive: true });
  for (const dir of ["cards", "policy", "fixtures"]) cpSync(join(ROOT, dir), join(pkg, dir), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
  // Externalized packages (hnswlib-node, fastify …) resolve from the repository's node_modules.
  symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
});

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return cliWith({}, ...args);
}

function cliWith(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(pkg, "dist", "cli", "main.js"), ...args], {
    encoding: "utf8",
    env: { PATH: process.env["PATH"] ?? "", HOME: work, RAGK8S_AUDIT_PATH: join(work, "audit.jsonl"), NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PLAN = ["plan", "--intent", "restart", "--resource", "deployment", "-n", "staging", "--name", "web", "--json"];

test("the bundled CLI plans a structured request, and a second start (warm card cache) plans the same", () => {
  const first = cli(...PLAN);
  const second = cli(...PLAN);
  for (const run of [first, second]) {
    assert.equal(run.code, 0, run.stderr);
    const response = JSON.parse(run.stdout) as { status: string; plan: { command: string } };
    assert.equal(response.status, "planned");
    assert.equal(response.plan.command, "kubectl rollout restart deployment/web -n staging");
  }
  assert.ok(existsSync(join(work, ".cache", "rag-k8s", "cards")), "the first start cached the parsed cards");
});

test("the bundled CLI obeys the policy files as they are now, not as they were at build time", () => {
  const command = "kubectl scale deployment/web -n staging --replicas=3";
  const decision = () => (JSON.parse(cli("validate", command, "--json").stdout) as { decision: string }).decision;
  assert.equal(decision(), "confirm", "the bundled policy lets staging scale with confirmation");
  const file = join(pkg, "policy", "namespaces.yaml");
  const text = readFileSync(file, "utf8");
  const edited = text.replace(/(\n {2}staging:\n {4}verbs:\n(?: {6}- .*\n)*?) {6}- scale\n/, "$1");
  assert.notEqual(edited, text, "the edit removes scale from staging's verbs");
  writeFileSync(file, edited);
  assert.equal(decision(), "deny");
});

test("--help works from the bundle", () => {
  const run = cli("--help");
  assert.equal(run.code, 0);
  assert.match(run.stdout, /Usage: rag-k8s/);
});

test("the bin keeps V8's compiled code per command: written by the first start, used by the next; NODE_DISABLE_COMPILE_CACHE writes none", () => {
  const home = mkdtempSync(join(work, "home-"));
  const codeDir = join(home, ".cache", "rag-k8s", "code");
  const entries = () => (existsSync(codeDir) ? readdirSync(codeDir) : []);
  assert.equal(cliWith({ HOME: home, NODE_DISABLE_COMPILE_CACHE: "1" }, "--version").code, 0);
  assert.deepEqual(entries(), []);
  assert.equal(cliWith({ HOME: home }, "--version").code, 0);
  const [entry = "", ...more] = entries();
  assert.ok(entry.endsWith(".v8cache") && more.length === 0, `one entry: ${entries().join(", ")}`);
  const written = statSync(join(codeDir, entry)).mtimeMs;
  const again = cliWith({ HOME: home }, "--version");
  assert.equal(again.code, 0);
  assert.equal(again.stdout.trim(), "0.1.0");
  assert.equal(statSync(join(codeDir, entry)).mtimeMs, written, "a start that used the entry leaves it as it is");
  assert.equal(cliWith({ HOME: home }, "validate", "kubectl get pods -n prod").code, 0);
  assert.equal(entries().length, 2, "another command, its own entry");
});

test("from the code cache, the bundle still imports the packages it keeps outside (client-node for an exec credential plugin)", () => {
  const home = mkdtempSync(join(work, "home-"));
  const kubeconfig = join(home, "kubeconfig");
  // The plugin hands out a token; nothing listens on port 1, so the request itself fails after client-node loaded.
  const plugin = `process.stdout.write(JSON.stringify({ apiVersion: "client.authentication.k8s.io/v1", kind: "ExecCredential", status: { token: "t" } }))`;
  const user = { exec: { apiVersion: "client.authentication.k8s.io/v1", command: process.execPath, args: ["-e", plugin], interactiveMode: "Never" } };
  const config = { apiVersion: "v1", kind: "Config", clusters: [{ name: "c", cluster: { server: "https://127.0.0.1:1" } }], contexts: [{ name: "x", context: { cluster: "c", user: "u" } }], "current-context": "x", users: [{ name: "u", user }] };
  writeFileSync(kubeconfig, JSON.stringify(config));
  for (const start of ["first start (compiles)", "second start (code cache)"]) {
    const run = cliWith({ HOME: home, KUBECONFIG: kubeconfig, RAGK8S_EXEC_MODE: "api" }, "run", "--json", "--", "kubectl", "get", "pods", "-n", "default");
    const response = JSON.parse(run.stdout) as { status: string; steps: { stderr: string }[] };
    assert.equal(response.status, "failed", start);
    assert.match(response.steps[0]?.stderr ?? "", /ECONNREFUSED 127\.0\.0\.1:1/, start);
    assert.doesNotMatch(run.stderr, /import|ExperimentalWarning/, start);
  }
});
