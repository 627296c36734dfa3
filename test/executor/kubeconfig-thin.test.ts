// The thin kubeconfig loader against client-node's own KubeConfig on the same files: for the shapes it reads it
// must give the same entries, TLS options, headers and agent kind; every other shape must be left to client-node.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { after, describe, it } from "node:test";
import { loadKubeconfig, loadKubeConfigModule } from "../../src/executor/api/kubeconfig-module.js";
import type { LoadedKubeconfig } from "../../src/executor/api/kubeconfig-module.js";
import { parseThinKubeconfig, ThinKubeConfig } from "../../src/executor/api/kubeconfig-thin.js";

const dir = mkdtempSync(join(tmpdir(), "rag-k8s-kubeconfig-thin-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const b64 = (text: string) => Buffer.from(text).toString("base64");
// Relative paths in a kubeconfig are relative to its folder (certificates), or to the working directory (token-file).
writeFileSync(join(dir, "ca.crt"), "CA FROM FILE");
writeFileSync(join(dir, "client.crt"), "CERT FROM FILE");
writeFileSync(join(dir, "client.key"), "KEY FROM FILE");
writeFileSync(join(dir, "token"), "token-from-file");

let count = 0;
function file(yaml: string): string {
  const path = join(dir, `kubeconfig-${count++}.yaml`);
  writeFileSync(path, yaml);
  return path;
}

function config(clusters: string, users: string, contexts: string, current = "main"): string {
  return `apiVersion: v1\nkind: Config\nclusters:\n${clusters}\nusers:\n${users}\ncontexts:\n${contexts}\ncurrent-context: ${current}\n`;
}
const cluster = (body: string, name = "c") => `  - name: ${name}\n    cluster:\n      server: https://10.0.0.1:6443/\n${body}`;
const user = (body: string, name = "u") => `  - name: ${name}\n    user:\n${body}`;
const context = (extra = "", name = "main") => `  - name: ${name}\n    context:\n      cluster: c\n      user: u\n${extra}`;

/** Everything a request takes from a loaded kubeconfig, in comparable form. */
async function observed(kc: LoadedKubeconfig): Promise<unknown> {
  const opts: RequestOptions = {};
  let error: string | undefined;
  try {
    await kc.applyToHTTPSOptions(opts);
  } catch (e) {
    error = (e as Error).message;
  }
  const agent = opts.agent as (RequestOptions["agent"] & { options?: Record<string, unknown> }) | undefined;
  const { agent: _agent, ...rest } = opts;
  return {
    context: kc.getCurrentContext(),
    contextObject: kc.getContextObject(kc.getCurrentContext()),
    cluster: kc.getCurrentCluster(),
    user: kc.getCurrentUser(),
    options: JSON.parse(JSON.stringify(rest)) as unknown,
    agent: agent?.constructor.name,
    agentTls: agent?.options ? JSON.parse(JSON.stringify({ ca: agent.options["ca"], cert: agent.options["cert"], key: agent.options["key"], servername: agent.options["servername"], rejectUnauthorized: agent.options["rejectUnauthorized"] })) : undefined,
    error,
  };
}

async function full(files: readonly string[]): Promise<LoadedKubeconfig> {
  const { KubeConfig } = await loadKubeConfigModule();
  const kc = new KubeConfig();
  const [first = "", ...rest] = files;
  kc.loadFromFile(first);
  for (const path of rest) {
    const more = new KubeConfig();
    more.loadFromFile(path);
    kc.mergeConfig(more, true);
  }
  return kc;
}

describe("thin kubeconfig loader: the common shapes read exactly as client-node reads them", () => {
  const same: [string, () => string[]][] = [
    ["bearer token, CA data", () => [file(config(cluster(`      certificate-authority-data: ${b64("CA DATA")}\n`), user("      token: abc.def\n"), context()))]],
    ["client certificate and key data", () => [file(config(cluster(`      certificate-authority-data: ${b64("CA")}\n`), user(`      client-certificate-data: ${b64("CERT")}\n      client-key-data: ${b64("KEY")}\n`), context()))]],
    ["certificate files relative to the kubeconfig", () => [file(config(cluster("      certificate-authority: ca.crt\n"), user("      client-certificate: client.crt\n      client-key: client.key\n"), context()))]],
    ["absolute CA file wins over CA data", () => [file(config(cluster(`      certificate-authority: ${join(dir, "ca.crt")}\n      certificate-authority-data: ${b64("IGNORED")}\n`), user("      token: t\n"), context()))]],
    ["insecure-skip-tls-verify and tls-server-name", () => [file(config(cluster("      insecure-skip-tls-verify: true\n      tls-server-name: api.internal\n"), user("      token: t\n"), context()))]],
    ["token-file (relative to the working directory)", () => [file(config(cluster(""), user(`      token-file: ${join(dir, "token")}\n`), context()))]],
    ["basic auth and impersonation", () => [file(config(cluster(""), user("      username: admin\n      password: s3cret\n      as: jane\n"), context()))]],
    ["context namespace and a user without fields", () => [file(config(cluster(""), "  - name: u\n", context("      namespace: shop\n")))]],
    ["a context without a user (client-node then applies no TLS material)", () => [file(config(cluster(`      certificate-authority-data: ${b64("CA")}\n`), user("      token: t\n"), "  - name: main\n    context:\n      cluster: c\n"))]],
    ["plain http with insecure-skip-tls-verify", () => [file(config("  - name: c\n    cluster:\n      server: http://127.0.0.1:8080\n      insecure-skip-tls-verify: true\n", user("      token: t\n"), context()))]],
    ["plain http without it (an error from both)", () => [file(config("  - name: c\n    cluster:\n      server: http://127.0.0.1:8080\n", user("      token: t\n"), context()))]],
    ["a current-context that names nothing", () => [file(config(cluster(""), user("      token: t\n"), context(), "elsewhere"))]],
    ["several files: the first one's current-context, entries merged", () => [
      file(config(cluster("", "c"), user("      token: first\n", "u"), context("", "main"), "main")),
      file(config(cluster("      insecure-skip-tls-verify: true\n", "c2"), user("      token: second\n", "u2"), "  - name: other\n    context:\n      cluster: c2\n      user: u2\n", "other")),
    ]],
    ["extensions are ignored", () => [file(config(cluster("      extensions:\n        - name: x\n          extension: {}\n"), user("      token: t\n"), context()))]],
  ];
  for (const [name, make] of same) {
    it(name, async () => {
      const files = make();
      const thin = parseThinKubeconfig(files);
      assert.ok(thin instanceof ThinKubeConfig, "the thin loader reads this shape");
      const reference = await full(files);
      assert.deepEqual(await observed(thin), await observed(reference));
      // Every context, not only the current one.
      for (const ctx of ["main", "other"]) {
        if (!reference.getContextObject(ctx)) continue;
        thin.setCurrentContext(ctx);
        reference.setCurrentContext(ctx);
        assert.deepEqual(await observed(thin), await observed(reference), ctx);
      }
    });
  }
});

describe("thin kubeconfig loader: every other shape is client-node's", () => {
  const left: [string, () => string[]][] = [
    ["an exec credential plugin", () => [file(config(cluster(""), user("      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: gke-gcloud-auth-plugin\n"), context()))]],
    ["an auth provider", () => [file(config(cluster(""), user("      auth-provider:\n        name: oidc\n        config: {}\n"), context()))]],
    ["a proxy", () => [file(config(cluster("      proxy-url: http://proxy:3128\n"), user("      token: t\n"), context()))]],
    ["a cluster without a server", () => [file(config("  - name: c\n    cluster: {}\n", user("      token: t\n"), context()))]],
    ["a context without a cluster", () => [file(config(cluster(""), user("      token: t\n"), "  - name: main\n    context:\n      user: u\n"))]],
    ["a token that is not a string", () => [file(config(cluster(""), user("      token: 12345\n"), context()))]],
    ["a date-like namespace (client-node's YAML reads a timestamp)", () => [file(config(cluster(""), user("      token: t\n"), context("      namespace: 2024-01-01\n")))]],
    ["the same cluster name in two files", () => [file(config(cluster(""), user("      token: t\n"), context())), file(config(cluster("", "c"), user("      token: t\n", "u9"), context("", "other")))]],
    ["YAML that does not parse", () => [file("clusters: [\n")]],
    ["a missing file", () => [join(dir, "no-such-kubeconfig")]],
    ["an empty file", () => [file("")]],
  ];
  for (const [name, make] of left) it(name, () => assert.equal(parseThinKubeconfig(make()), undefined));
});

describe("loadKubeconfig", () => {
  it("uses the thin loader for a common shape and client-node for an exec plugin", async () => {
    const common = file(config(cluster(""), user("      token: t\n"), context()));
    const plugin = file(config(cluster(""), user("      exec:\n        apiVersion: client.authentication.k8s.io/v1\n        command: kubelogin\n"), context()));
    assert.ok((await loadKubeconfig(common, undefined)) instanceof ThinKubeConfig);
    const { KubeConfig } = await loadKubeConfigModule();
    assert.ok((await loadKubeconfig(plugin, undefined)) instanceof KubeConfig);
  });

  it("skips missing files of a list, makes the context current, and refuses one the files do not define", async () => {
    const path = file(config(cluster(""), user("      token: t\n"), context() + context("", "second"), "main"));
    const kc = await loadKubeconfig(`${join(dir, "missing")}${delimiter}${path}`, "second");
    assert.equal(kc.getCurrentContext(), "second");
    await assert.rejects(loadKubeconfig(path, "nowhere"), /context "nowhere" is not in the kubeconfig/);
  });

  it("a list whose files are all missing fails as client-node fails on the first", async () => {
    await assert.rejects(loadKubeconfig(`${join(dir, "gone-1")}${delimiter}${join(dir, "gone-2")}`, undefined), /gone-1/);
  });
});
