import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { delimiter } from "node:path";
import { after, before, describe, it } from "node:test";
import { ApiUnsupportedError, createApiExecutor, ExecAbortedError, REDACTED } from "../../src/executor/index.js";
import { planCommand } from "../../src/executor/api/plan.js";
import { apiHarness, type ApiHarness } from "./api-helpers.js";

const sha256 = (s: string): string => `sha256:${createHash("sha256").update(s).digest("hex")}`;

describe("which argv the API executor takes (everything else is kubectl's)", () => {
  const taken: string[][] = [
    ["kubectl", "get", "pods", "-n", "shop", "-l", "app=web", "-o", "wide"],
    ["kubectl", "--context", "prod", "get", "pods", "-A"],
    ["kubectl", "--context=prod", "get", "deploy/web", "-n", "shop"],
    ["kubectl", "get", "pods", "-owide", "-nshop"],
    ["kubectl", "get", "events", "-n", "shop", "--sort-by=.lastTimestamp", "--field-selector=type=Warning"],
    ["kubectl", "logs", "web-0", "-n", "shop", "--tail=200", "--since=15m", "-c", "istio-proxy", "--previous"],
    ["kubectl", "logs", "deployment/web", "-n", "shop"],
    ["kubectl", "scale", "deployment/web", "-n", "shop", "--replicas=5", "--dry-run=server"],
    ["kubectl", "rollout", "restart", "deployment/web", "-n", "shop"],
    ["kubectl", "rollout", "status", "deployment/web", "-n", "shop", "--timeout=5m"],
    ["kubectl", "rollout", "history", "deployment/web", "-n", "shop"],
    ["kubectl", "rollout", "undo", "deployment/api", "-n", "prod", "--to-revision=3"],
    ["kubectl", "cordon", "worker-3"],
    ["kubectl", "annotate", "--overwrite", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "reconcile.fluxcd.io/requestedAt=now"],
    ["kubectl", "patch", "kustomizations.kustomize.toolkit.fluxcd.io/apps", "-n", "flux-system", "--type=merge", "-p", '{"spec":{"suspend":true}}'],
    ["kubectl", "top", "pod", "-n", "shop", "--sort-by=memory"],
    ["kubectl", "top", "node"],
  ];
  for (const argv of taken) it(`runs ${argv.join(" ")}`, () => assert.ok(planCommand(argv), "expected the API executor to take it"));

  const left: [string, string[]][] = [
    ["another program", ["flux", "get", "kustomizations"]],
    ["a verb it does not implement", ["kubectl", "exec", "web-0", "--", "sh"]],
    ["describe (kubectl prints it)", ["kubectl", "describe", "pod", "web-0"]],
    ["an identity flag", ["kubectl", "get", "pods", "--as=system:admin"]],
    ["a token flag", ["kubectl", "get", "pods", "--token", "abc"]],
    ["a kubeconfig flag", ["kubectl", "get", "pods", "--kubeconfig=/tmp/other"]],
    ["a server flag", ["kubectl", "get", "pods", "--server", "https://evil.example"]],
    ["--context after the verb", ["kubectl", "get", "pods", "--context", "other"]],
    ["a second --context", ["kubectl", "--context", "a", "get", "pods", "--context", "b"]],
    ["a flag before the verb", ["kubectl", "-n", "shop", "get", "pods"]],
    ["a JSONPath output", ["kubectl", "get", "pods", "-o", "jsonpath={.items[*].metadata.name}"]],
    ["custom columns", ["kubectl", "get", "pods", "-o=custom-columns=NAME:.metadata.name"]],
    ["several kinds", ["kubectl", "get", "pods,svc"]],
    ["get all", ["kubectl", "get", "all"]],
    ["combined short flags", ["kubectl", "get", "pods", "-Ao", "wide"]],
    ["a value flag without its value", ["kubectl", "get", "pods", "-l"]],
    ["an end-of-flags marker", ["kubectl", "get", "--", "pods"]],
    ["a JSONPath sort key", ["kubectl", "get", "pods", "--sort-by={.items[0]}"]],
    ["logs by selector", ["kubectl", "logs", "-l", "app=web", "--prefix"]],
    ["logs of all containers", ["kubectl", "logs", "web-0", "--all-containers"]],
    ["logs followed", ["kubectl", "logs", "web-0", "-f"]],
    ["a client-side dry run", ["kubectl", "scale", "deploy/web", "--replicas=3", "--dry-run=client"]],
    ["a negative replica count", ["kubectl", "scale", "deploy/web", "--replicas=-1"]],
    ["current-replicas precondition", ["kubectl", "scale", "deploy/web", "--replicas=3", "--current-replicas=2"]],
    ["annotate without --overwrite", ["kubectl", "annotate", "deploy/web", "a=b"]],
    ["annotation removal", ["kubectl", "annotate", "--overwrite", "deploy/web", "a-"]],
    ["an invalid annotation key", ["kubectl", "annotate", "--overwrite", "deploy/web", "bad key=1"]],
    ["a JSON patch", ["kubectl", "patch", "deploy/web", "--type=json", "-p", "[]"]],
    ["a strategic patch", ["kubectl", "patch", "deploy/web", "-p", "{}"]],
    ["a patch that is not an object", ["kubectl", "patch", "deploy/web", "--type=merge", "-p", "[1]"]],
    ["rollout undo with a dry run", ["kubectl", "rollout", "undo", "deployment/web", "--dry-run=server"]],
    ["rollout history of one revision", ["kubectl", "rollout", "history", "deployment/web", "--revision=3"]],
    ["top with containers", ["kubectl", "top", "pod", "--containers"]],
    ["cordon by selector", ["kubectl", "cordon", "-l", "pool=batch"]],
    ["a parent-path name", ["kubectl", "get", "pods", ".."]],
    ["a parent-path name after a slash", ["kubectl", "get", "deploy/..", "-n", "shop"]],
    ["a name with an encoded slash", ["kubectl", "scale", "deploy/a%2F..", "--replicas=1"]],
    ["a name with a query", ["kubectl", "logs", "web-0?previous=true"]],
    ["a namespace that is not a DNS label", ["kubectl", "get", "pods", "-n", "../kube-system"]],
    ["a namespace with an encoded slash", ["kubectl", "get", "pods", "-n", "a%2Fb"]],
    ["a node named ..", ["kubectl", "cordon", ".."]],
  ];
  for (const [why, argv] of left) it(`leaves ${why} to kubectl`, () => assert.equal(planCommand(argv), undefined));
});

describe("the API executor against the sandbox", () => {
  let h: ApiHarness;
  before(async () => {
    h = await apiHarness();
  });
  after(() => h.close());

  it("answers in process, says so, and spawns nothing", async () => {
    const spawned = h.api.spawnCount;
    const r = await h.api.run(["kubectl", "get", "deployment", "web", "-n", "shop"]);
    assert.equal(r.executor, "api");
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+3\/3/);
    assert.equal(h.api.spawnCount, spawned);
  });

  it("hands other argv to kubectl and records it", async () => {
    const spawned = h.api.spawnCount;
    const r = await h.api.run(["kubectl", "describe", "node", "worker-1"]);
    assert.equal(r.executor, "kubectl");
    assert.equal(r.code, 0);
    assert.equal(h.api.spawnCount, spawned + 1);
  });

  it("prints kubectl's error line and exits 1 for a missing object", async () => {
    const r = await h.api.run(["kubectl", "get", "deployment", "nope", "-n", "shop"]);
    assert.equal(r.executor, "api");
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
  });

  it("sends dryRun=All for --dry-run=server and changes nothing", async () => {
    const r = await h.api.run(["kubectl", "scale", "deployment/web", "-n", "shop", "--replicas=7", "--dry-run=server"]);
    assert.equal(r.stdout, "deployment.apps/web scaled (server dry run)\n");
    const scale = h.sandbox.requests.filter((q) => q.method === "PATCH" && q.path.endsWith("/deployments/web/scale")).at(-1);
    assert.equal(scale?.query["dryRun"], "All");
    assert.equal((h.sandbox.get("deployments", "shop", "web") as unknown as { spec: { replicas: number } }).spec.replicas, 3);
  });

  it("caps and redacts output like the kubectl executor, digesting the full text", async () => {
    const capped = createApiExecutor({ fallback: h.kubectl, mode: "api", kubeconfig: h.kubeconfig, maxStdoutChars: 40 });
    try {
      const annotated = await capped.run(["kubectl", "annotate", "--overwrite", "deployment/web", "-n", "shop", "db-password=hunter2hunter2"]);
      assert.equal(annotated.code, 0);
      const full = await h.api.run(["kubectl", "get", "deployment", "web", "-n", "shop", "-o", "yaml"]);
      assert.ok(!full.stdout.includes("hunter2hunter2"), "the password is masked");
      assert.ok(full.stdout.includes(`db-password: ${REDACTED}`));
      const r = await capped.run(["kubectl", "get", "pods", "-n", "shop"]);
      assert.equal(r.stdout.length, 40);
      assert.equal(r.truncated.stdout, true);
      const whole = await h.api.run(["kubectl", "get", "pods", "-n", "shop"]);
      assert.equal(r.stdoutDigest, sha256(whole.stdout));
      assert.equal(r.stdoutBytes, Buffer.byteLength(whole.stdout));
    } finally {
      capped.close();
    }
  });

  it("in api mode refuses what it cannot run itself, naming the fix", async () => {
    const only = createApiExecutor({ fallback: h.kubectl, mode: "api", kubeconfig: h.kubeconfig });
    try {
      await assert.rejects(only.run(["kubectl", "describe", "pod", "web-0", "-n", "shop"]), (e: unknown) => e instanceof ApiUnsupportedError && /exec\.mode/.test(e.message));
    } finally {
      only.close();
    }
  });

  it("hands a read whose answer is too large to hold to kubectl, which streams it through the caps", async () => {
    const small = createApiExecutor({ fallback: h.kubectl, mode: "auto", kubeconfig: h.kubeconfig, maxResponseBytes: 100_000 });
    try {
      const r = await small.run(["kubectl", "get", "pods", "-A", "-o", "json"]);
      assert.deepEqual([r.executor, r.code], ["kubectl", 0]);
      const tiny = await small.run(["kubectl", "get", "ns", "shop"]);
      assert.equal(tiny.executor, "api");
    } finally {
      small.close();
    }
  });

  it("in kubectl mode spawns kubectl for everything", async () => {
    const spawnOnly = createApiExecutor({ fallback: h.kubectl, mode: "kubectl", kubeconfig: h.kubeconfig });
    try {
      const r = await spawnOnly.run(["kubectl", "get", "ns"]);
      assert.equal(r.executor, "kubectl");
    } finally {
      spawnOnly.close();
    }
  });

  it("times out like the kubectl executor: no exit code, timedOut set", async () => {
    h.sandbox.setDelay(/\/namespaces\/prod\/pods$/, 2_000);
    try {
      const r = await h.api.run(["kubectl", "get", "pods", "-n", "prod"], { timeoutMs: 200 });
      assert.equal(r.executor, "api");
      assert.equal(r.timedOut, true);
      assert.equal(r.code, null);
    } finally {
      h.sandbox.clearDelays();
    }
  });

  it("stops when the caller's signal fires", async () => {
    h.sandbox.setDelay(/\/namespaces\/data\/pods$/, 2_000);
    try {
      const controller = new AbortController();
      const running = h.api.run(["kubectl", "get", "pods", "-n", "data"], { signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      await assert.rejects(running, ExecAbortedError);
      assert.equal(h.api.inFlight, 0);
    } finally {
      h.sandbox.clearDelays();
    }
  });

  it("reads a KUBECONFIG-style list of files, skipping missing ones as kubectl does", async () => {
    const listed = createApiExecutor({ fallback: h.kubectl, mode: "api", kubeconfig: `${h.kubeconfig}.missing${delimiter}${h.kubeconfig}` });
    try {
      const r = await listed.run(["kubectl", "get", "ns", "prod", "-o", "name"]);
      assert.deepEqual([r.executor, r.stdout], ["api", "namespace/prod\n"]);
    } finally {
      listed.close();
    }
  });

  it("uses the context argv names, and leaves an unknown context to kubectl", async () => {
    const path = `${h.kubeconfig}.two`;
    const yaml = h.sandbox.kubeconfigYaml().replace("current-context: rag-k8s-sandbox", "current-context: elsewhere");
    const second = yaml.replace(/contexts:\n/, "contexts:\n  - name: elsewhere\n    context:\n      cluster: nowhere\n      user: rag-k8s-sandbox\n").replace(/clusters:\n/, "clusters:\n  - name: nowhere\n    cluster:\n      server: https://127.0.0.1:1\n");
    await writeFile(path, second);
    const two = createApiExecutor({ fallback: h.kubectl, mode: "auto", kubeconfig: path });
    try {
      const r = await two.run(["kubectl", "--context", "rag-k8s-sandbox", "get", "ns", "shop", "-o", "name"]);
      assert.deepEqual([r.executor, r.code, r.stdout], ["api", 0, "namespace/shop\n"]);
      const unknown = await two.run(["kubectl", "--context", "missing", "get", "ns"]);
      assert.equal(unknown.executor, "kubectl");
      assert.notEqual(unknown.code, 0);
    } finally {
      two.close();
    }
  });
});
