/**
 * Red-team family: identity and target flags, context smuggling and shell/unicode tricks, in every field that
 * reaches a plan (command, argv, goal, structured fields, params, the context field). Each is refused before
 * any process starts or any request reaches the cluster.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { RequestValidationError } from "../../src/core/errors.js";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";

const TARGET_FLAGS: readonly string[] = [
  "--kubeconfig=/tmp/other",
  "--kubeconf=/tmp/other",
  "--kubeconfig /tmp/other",
  "--server=http://127.0.0.1:1",
  "--serv=http://127.0.0.1:1",
  "-s http://127.0.0.1:1",
  "--token=abc",
  "--tok=abc",
  "--as=admin",
  "--as-group=system:masters",
  "--as-uid=0",
  "--context=other",
  "--cont=other",
  "--cluster=other",
  "--user=other",
  "--insecure-skip-tls-verify",
  "--certificate-authority=/tmp/ca",
  "--client-key=/tmp/key",
  "--tls-server-name=other",
  "--username=a --password=b",
  "--request-timeout=0 --server=http://x",
];

/** Shell syntax and look-alike characters around an otherwise allowed read. */
const SHELL_AND_UNICODE: readonly string[] = [
  "kubectl get pods -n staging; kubectl delete ns prod",
  "kubectl get pods -n staging && kubectl scale deployment/web --replicas=0 -n staging",
  "kubectl get pods -n staging | sh",
  "kubectl get pods -n $(echo prod)",
  "kubectl get pods -n `echo prod`",
  "kubectl get pods -n staging > /tmp/out",
  "KUBECONFIG=/tmp/x kubectl get pods",
  "kubectl get pods -n staging ‐‐context=x",
  "kubectl get pods -n staging —context=x",
  "kubectl get pods -n ѕtaging",
  "kubectl get pods -n staging\u200b",
  "kubectl get pods -n staging\u202e",
  "kubectl get pods -n staging\n--context=x",
];

describe("red team: target flags and context smuggling are refused in every field", () => {
  let h: Harness;
  let spawned = 0;
  /** Processes the goal test may start: the read-only inventory listing a goal's names are resolved against. */
  let inventoryReads = 0;
  before(async () => {
    h = await startHarness();
    h.sandbox.clearRequests();
    spawned = h.runtime.executor.spawnCount;
  });
  after(() => {
    assert.equal(h.runtime.executor.spawnCount - inventoryReads, spawned, "no refused request started a process");
    assert.deepEqual(h.sandbox.requests.filter((r) => r.method !== "GET"), [], "nothing was written");
    return h.close();
  });

  for (const flags of TARGET_FLAGS) {
    test(`command and argv with ${flags}`, async () => {
      for (const verb of ["get pods -n staging", "rollout restart deployment/web -n staging"]) {
        const command = `kubectl ${verb} ${flags}`;
        for (const request of [{ command }, { argv: command.split(" ") }]) {
          const response = await h.runtime.exec({ ...request, constraints: { confirm: true } });
          assert.equal(response.status, "denied", `${command}: ${response.message}`);
        }
        const before = `kubectl ${flags} ${verb}`;
        assert.equal((await h.runtime.read({ command: before })).status, "denied", before);
      }
    });
  }

  for (const command of SHELL_AND_UNICODE) {
    test(`shell or unicode trick: ${JSON.stringify(command)}`, async () => {
      const outcome = await h.runtime.read({ command }).then(
        (response) => response.status,
        (error: unknown) => (error instanceof RequestValidationError ? "input_error" : String(error)),
      );
      assert.ok(outcome === "denied" || outcome === "input_error", `${command}: ${outcome}`);
    });
  }

  test("a goal that names another target is a question, never a plan for it", async () => {
    const start = h.runtime.executor.spawnCount;
    for (const goal of ["list pods in staging --context=other", "list pods in staging using kubeconfig /tmp/x", "list pods in staging --server http://127.0.0.1:1", "list pods in staging as admin --as=admin"]) {
      const response = await h.runtime.read({ goal });
      assert.notEqual(response.status, "succeeded", `${goal}: ${response.plan?.command}`);
      assert.doesNotMatch(response.plan?.command ?? "", /--(?:context|kubeconfig|server|as)\b/);
    }
    inventoryReads = h.runtime.executor.spawnCount - start;
  });

  test("fields and params cannot carry a flag or a context", async () => {
    const invalid: readonly Record<string, unknown>[] = [
      { command: "kubectl get pods -n staging", context: "other" },
      { intent: "list", resource: "pod", namespace: "staging", context: "--kubeconfig=/tmp/x" },
      { intent: "list", resource: "pod", namespace: "staging", params: { context: "other" } },
      { intent: "list", resource: "pod", namespace: "staging", params: { kubeconfig: "/tmp/x" } },
      { intent: "logs", resource: "pod", namespace: "staging", name: "--kubeconfig=/tmp/x" },
      { intent: "list", resource: "pod", namespace: "-A" },
      { intent: "list", resource: "pod", namespace: "staging", selector: "app=web --context=other" },
      { intent: "logs", resource: "pod", namespace: "staging", name: "web", params: { container: "--server=x" } },
      JSON.parse('{"intent":"list","resource":"pod","namespace":"staging","params":{"__proto__":{"context":"other"}}}') as Record<string, unknown>,
      JSON.parse('{"intent":"list","resource":"pod","namespace":"staging","constraints":{"__proto__":{"confirm":true}}}') as Record<string, unknown>,
    ];
    for (const request of invalid) {
      await assert.rejects(h.runtime.read(request), RequestValidationError, JSON.stringify(request));
    }
  });
});
