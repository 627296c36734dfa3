import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { ConfigError, ConfigSchema, FIELDS, formatConfig, loadConfig } from "../../src/config/index.js";

const root = mkdtempSync(join(tmpdir(), "rag-k8s-config-"));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh working folder with the given files. */
function workdir(files: Record<string, string> = {}): string {
  const dir = join(root, `w${n++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const HOME = "/home/tester";
const baseEnv = { HOME };

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected a ConfigError");
}

describe("config schema", () => {
  it("has a default for every setting and a description for every field", () => {
    const config = ConfigSchema.parse({});
    assert.equal(config.exec.timeoutMs, 15_000);
    assert.equal(config.exec.maxStdoutChars, 4_000);
    assert.equal(config.http.host, "127.0.0.1");
    assert.equal(config.retrieval.k, 4);
    assert.equal(config.llm.provider, "none");
    for (const field of FIELDS) assert.ok(field.description.length > 5, `${field.path} has no description`);
  });
});

describe("loadConfig", () => {
  it("uses defaults, with XDG-aware paths", () => {
    const { config, sources } = loadConfig({ cwd: workdir(), env: { ...baseEnv, XDG_CACHE_HOME: "/xdg/cache" } });
    assert.equal(config.audit.path, "/home/tester/.local/state/rag-k8s/audit.jsonl");
    assert.equal(config.retrieval.cacheDir, "/xdg/cache/rag-k8s");
    assert.equal(config.audit.maxBytes, 10 * 1024 * 1024);
    assert.equal(sources["exec.timeoutMs"], "default");
    assert.equal(config.exec.concurrency, 8);
    assert.equal(config.http.concurrency, 256);
    assert.equal(config.planCache.size, 512);
    assert.equal(sources["audit.path"], "default");
    assert.equal(sources["kube.kubeconfig"], undefined);
  });

  it("applies file < .env < environment < flags", () => {
    const cwd = workdir({
      "rag-k8s.config.yaml": "http:\n  port: 1001\n  host: 127.0.0.2\nexec:\n  timeoutMs: 5000\nretrieval:\n  mode: hybrid\n",
      ".env": "RAGK8S_HTTP_PORT=1002\nRAGK8S_EXEC_TIMEOUT_MS=6000\n",
    });
    const file = join(cwd, "rag-k8s.config.yaml");
    const { config, sources } = loadConfig({
      cwd,
      env: { ...baseEnv, RAGK8S_HTTP_PORT: "1003" },
      overrides: { http: { port: 1004 } },
    });
    assert.equal(config.http.port, 1004);
    assert.equal(sources["http.port"], "flag");
    assert.equal(config.exec.timeoutMs, 6000);
    assert.equal(sources["exec.timeoutMs"], ".env:RAGK8S_EXEC_TIMEOUT_MS");
    assert.equal(config.http.host, "127.0.0.2");
    assert.equal(sources["http.host"], `file:${file}`);
    assert.equal(config.retrieval.mode, "hybrid");

    const withoutFlag = loadConfig({ cwd, env: { ...baseEnv, RAGK8S_HTTP_PORT: "1003" } });
    assert.equal(withoutFlag.config.http.port, 1003);
    assert.equal(withoutFlag.sources["http.port"], "env:RAGK8S_HTTP_PORT");
  });

  it("does not touch process.env when reading .env", () => {
    const cwd = workdir({ ".env": "RAGK8S_LOG_LEVEL=debug\nSOME_UNRELATED_VAR_XYZ=1\n" });
    const { config } = loadConfig({ cwd, env: baseEnv });
    assert.equal(config.logLevel, "debug");
    assert.equal(process.env.SOME_UNRELATED_VAR_XYZ, undefined);
  });

  it("coerces environment values and maps KUBECONFIG and the short kube names", () => {
    const { config, sources } = loadConfig({
      cwd: workdir(),
      env: {
        ...baseEnv,
        KUBECONFIG: "/k/one:/k/two",
        RAGK8S_KUBECTL: "/opt/kubectl",
        RAGK8S_CARDS_BUNDLED: "no",
        RAGK8S_CARDS_DIRS: "/cards/a:/cards/b",
        RAGK8S_LLM_TEMPERATURE: "0.5",
        RAGK8S_LLM_PROVIDER: "openai",
        RAGK8S_LLM_MODEL: "gpt-x",
        RAGK8S_EMPTY_IS_IGNORED: "",
        RAGK8S_HTTP_TOKEN: "",
      },
    });
    assert.equal(config.kube.kubeconfig, "/k/one:/k/two");
    assert.equal(sources["kube.kubeconfig"], "env:KUBECONFIG");
    assert.equal(config.kube.kubectl, "/opt/kubectl");
    assert.equal(config.cards.bundled, false);
    assert.deepEqual(config.cards.dirs, ["/cards/a", "/cards/b"]);
    assert.equal(config.llm.temperature, 0.5);
    assert.equal(config.http.token, undefined);
    const short = loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_MODEL_DIR: "/models/mini", RAGK8S_CONTEXT: "prod" } });
    assert.equal(short.config.retrieval.modelDir, "/models/mini");
    assert.equal(short.sources["retrieval.modelDir"], "env:RAGK8S_MODEL_DIR");
    assert.equal(short.config.kube.context, "prod");
    const preferred = loadConfig({ cwd: workdir(), env: { ...baseEnv, KUBECONFIG: "/a", RAGK8S_KUBECONFIG: "/b" } });
    assert.equal(preferred.config.kube.kubeconfig, "/b");
  });

  it("names the variable and the valid values when an env value is bad", () => {
    const mode = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_RETRIEVAL_MODE: "fuzzy" } }));
    assert.match(mode.message, /retrieval\.mode \(env:RAGK8S_RETRIEVAL_MODE\):.*"lexical"\|"semantic"\|"hybrid"/);
    const port = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_HTTP_PORT: "80a" } }));
    assert.match(port.message, /http\.port \(env:RAGK8S_HTTP_PORT\): expected a number, got "80a"/);
    const range = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_HTTP_PORT: "70000" } }));
    assert.match(range.message, /http\.port \(env:RAGK8S_HTTP_PORT\):.*65535/);
    const dotenv = configError(() => loadConfig({ cwd: workdir({ ".env": "RAGK8S_LOG_LEVEL=loud\n" }), env: baseEnv }));
    assert.match(dotenv.message, /logLevel \(\.env:RAGK8S_LOG_LEVEL\):.*"info"/);
    const bool = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_CARDS_BUNDLED: "maybe" } }));
    assert.match(bool.message, /RAGK8S_CARDS_BUNDLED.*expected true or false/);
  });

  it("points at file:line:col for bad values and unknown keys in the YAML file", () => {
    const cwd = workdir({
      "rag-k8s.config.yaml": "# settings\nexec:\n  timeoutMs: fast\nretreival:\n  k: 3\nhttp:\n  prot: 1\n",
    });
    const file = join(cwd, "rag-k8s.config.yaml");
    const error = configError(() => loadConfig({ cwd, env: baseEnv }));
    const byPath = new Map(error.issues.map((i) => [i.path, i]));
    assert.equal(byPath.get("exec.timeoutMs")?.source, `file:${file}:3:3`);
    assert.match(byPath.get("exec.timeoutMs")?.message ?? "", /expected number/);
    assert.equal(byPath.get("retreival")?.source, `file:${file}:4:1`);
    assert.match(byPath.get("retreival")?.message ?? "", /unknown setting "retreival"; did you mean "retrieval"\?/);
    assert.equal(byPath.get("http.prot")?.source, `file:${file}:7:3`);
    assert.match(byPath.get("http.prot")?.message ?? "", /did you mean "port"\?.*valid keys here: host, port/);
  });

  it("reports YAML syntax errors with their line and column", () => {
    const cwd = workdir({ "rag-k8s.config.yaml": "exec:\n  timeoutMs: 1\n  timeoutMs: 2\n" });
    const error = configError(() => loadConfig({ cwd, env: baseEnv }));
    assert.match(error.message, /rag-k8s\.config\.yaml:3:3\): not valid YAML/);
  });

  it("uses --config / RAGK8S_CONFIG over the file in cwd, and requires it to exist", () => {
    const cwd = workdir({ "rag-k8s.config.yaml": "logLevel: warn\n", "other.yaml": "logLevel: error\n" });
    assert.equal(loadConfig({ cwd, env: baseEnv }).config.logLevel, "warn");
    assert.equal(loadConfig({ cwd, env: { ...baseEnv, RAGK8S_CONFIG: "other.yaml" } }).config.logLevel, "error");
    const explicit = loadConfig({ cwd, env: baseEnv, file: join(cwd, "other.yaml") });
    assert.equal(explicit.file, join(cwd, "other.yaml"));
    assert.match(configError(() => loadConfig({ cwd, env: baseEnv, file: "missing.yaml" })).message, /cannot read the config file \(ENOENT\)/);
  });

  it("resolves paths in the file against the file's folder and ~ against HOME", () => {
    const cwd = workdir();
    mkdirSync(join(cwd, "conf"));
    writeFileSync(join(cwd, "conf", "c.yaml"), "cards:\n  dirs: [my-cards, ~/cards]\naudit:\n  path: logs/audit.jsonl\nkube:\n  kubectl: kubectl\n  flux: ./bin/flux\n");
    const { config } = loadConfig({ cwd, env: baseEnv, file: "conf/c.yaml" });
    assert.deepEqual(config.cards.dirs, [join(cwd, "conf", "my-cards"), "/home/tester/cards"]);
    assert.equal(config.audit.path, join(cwd, "conf", "logs", "audit.jsonl"));
    assert.equal(config.kube.kubectl, "kubectl");
    assert.equal(config.kube.flux, join(cwd, "conf", "bin", "flux"));
    const flag = loadConfig({ cwd, env: baseEnv, overrides: { policy: { dir: "pol" } } });
    assert.equal(flag.config.policy.dir, join(cwd, "pol"));
  });

  it("checks settings that depend on each other", () => {
    const llm = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_LLM_PROVIDER: "llama-cpp" } }));
    assert.match(llm.message, /llm\.modelPath.*required when llm\.provider is "llama-cpp"/);
    const open = configError(() => loadConfig({ cwd: workdir(), env: baseEnv, overrides: { http: { host: "0.0.0.0" } } }));
    assert.match(open.message, /http\.token.*required when http\.host \(0\.0\.0\.0\) is not a loopback address/);
    const ok = loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_HTTP_HOST: "0.0.0.0", RAGK8S_HTTP_TOKEN: "x".repeat(32) } });
    assert.equal(ok.config.http.host, "0.0.0.0");
  });
});

describe("environment names and the user's config file", () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ["a long name where the documented one is short", { RAGK8S_RETRIEVALL_MODEL_DIR: "/m" }, /RAGK8S_RETRIEVALL_MODEL_DIR is not a rag-k8s setting; did you mean RAGK8S_RETRIEVAL_MODEL_DIR\?/],
    ["a typo", { RAGK8S_HTTP_PROT: "9000" }, /did you mean RAGK8S_HTTP_PORT\?/],
    ["a name that is no setting at all", { RAGK8S_DEBUG: "1" }, /RAGK8S_DEBUG is not a rag-k8s setting/],
  ];
  for (const [label, env, message] of cases) {
    it(`rejects ${label}, naming the closest valid variable`, () => {
      const error = configError(() => loadConfig({ cwd: workdir(), env: { ...baseEnv, ...env } }));
      assert.match(error.message, message);
    });
  }

  it("accepts the long form of a short name, ignores empty unknown variables, and reads .env the same way", () => {
    const loaded = loadConfig({ cwd: workdir(), env: { ...baseEnv, RAGK8S_RETRIEVAL_MODEL_DIR: "/models/mini", RAGK8S_NOT_A_SETTING: "" } });
    assert.equal(loaded.config.retrieval.modelDir, "/models/mini");
    assert.equal(loaded.sources["retrieval.modelDir"], "env:RAGK8S_RETRIEVAL_MODEL_DIR");
    const error = configError(() => loadConfig({ cwd: workdir({ ".env": "RAGK8S_EXEC_TIMEOUT=5\n" }), env: baseEnv }));
    assert.match(error.message, /\.env:RAGK8S_EXEC_TIMEOUT.*did you mean RAGK8S_EXEC_TIMEOUT_MS\?/s);
  });

  it("reads ~/.config/rag-k8s/config.yaml below the project's file and names every file read", () => {
    const home = workdir();
    mkdirSync(join(home, ".config", "rag-k8s"), { recursive: true });
    const userFile = join(home, ".config", "rag-k8s", "config.yaml");
    writeFileSync(userFile, "exec:\n  timeoutMs: 9000\n  concurrency: 3\n");
    const alone = loadConfig({ cwd: workdir(), env: { HOME: home } });
    assert.equal(alone.config.exec.timeoutMs, 9000);
    assert.equal(alone.sources["exec.timeoutMs"], `file:${userFile}`);
    assert.deepEqual(alone.files, [userFile]);
    assert.equal(alone.config.retrieval.indexDir, join(home, ".cache", "rag-k8s", "index"));

    const project = workdir({ "rag-k8s.config.yaml": "exec:\n  timeoutMs: 7000\n" });
    const both = loadConfig({ cwd: project, env: { HOME: home } });
    assert.equal(both.config.exec.timeoutMs, 7000, "the project's file wins");
    assert.equal(both.config.exec.concurrency, 3, "the user's file still sets what the project's does not");
    assert.deepEqual(both.files, [userFile, join(project, "rag-k8s.config.yaml")]);
    const xdg = loadConfig({ cwd: workdir(), env: { HOME: "/nowhere", XDG_CONFIG_HOME: join(home, ".config") } });
    assert.equal(xdg.config.exec.timeoutMs, 9000, "XDG_CONFIG_HOME is honoured");
  });
});

describe("formatConfig", () => {
  const cwd = workdir();
  const loaded = loadConfig({
    cwd,
    env: { ...baseEnv, RAGK8S_LLM_API_KEY: "sk-very-secret", RAGK8S_HTTP_TOKEN: "t".repeat(24), RAGK8S_LLM_BASE_URL: "https://u:hunter22@api.example.com/v1" },
  });

  it("shows each value with its source and masks secrets", () => {
    const text = formatConfig(loaded.config, loaded.sources);
    assert.ok(!text.includes("sk-very-secret") && !text.includes("t".repeat(24)) && !text.includes("hunter22"));
    assert.match(text, /^llm\.apiKey += \*\*\*REDACTED\*\*\* {2}\(env:RAGK8S_LLM_API_KEY\)$/m);
    assert.match(text, /^exec\.timeoutMs += 15000 {2}\(default\)$/m);
    assert.match(text, /^kube\.context += \(unset\) {2}\(default\)$/m);
    assert.equal(text.split("\n").length, FIELDS.length);
  });

  it("emits JSON with the same masking", () => {
    const json = JSON.parse(formatConfig(loaded.config, loaded.sources, { json: true })) as {
      config: { llm: { apiKey: string }; exec: { timeoutMs: number } };
      sources: Record<string, string>;
    };
    assert.equal(json.config.llm.apiKey, "***REDACTED***");
    assert.equal(json.config.exec.timeoutMs, 15000);
    assert.equal(json.sources["http.token"], "env:RAGK8S_HTTP_TOKEN");
  });
});
