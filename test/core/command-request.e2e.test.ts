/** Every allowed command-request shape, run for real: kubectl against the sandbox, through the runtime. */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startHarness } from "./harness.js";
import type { Harness } from "./harness.js";

const SHAPES: readonly string[] = [
  "kubectl get pods -n staging",
  "kubectl get pods -A",
  "kubectl get deployments -n staging -o wide",
  "kubectl get deployment web -n staging -o yaml",
  "kubectl get deployment web -n staging -o json",
  "kubectl get pods -n staging -o name",
  "kubectl get pods -n staging -o jsonpath={.items[*].metadata.name}",
  "kubectl get pods -n staging -l app=web",
  "kubectl get pods -n staging --sort-by=.metadata.creationTimestamp",
  "kubectl get pods -n staging --show-labels",
  "kubectl get nodes",
  "kubectl get namespaces",
  "kubectl get configmaps -A",
  "kubectl get secrets -A",
  "kubectl get kustomizations.kustomize.toolkit.fluxcd.io -A",
  "kubectl get customresourcedefinitions",
  "kubectl describe deployment web -n staging",
  "kubectl logs deployment/web -n staging --tail=5",
  "kubectl get events -n staging --sort-by=.lastTimestamp",
  "kubectl events -n staging",
  "kubectl top pod -n staging",
  "kubectl explain deployment.spec.strategy",
  "kubectl api-resources",
];

describe("command requests against the sandbox", () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  for (const command of SHAPES) {
    test(command, async () => {
      const response = await h.runtime.read({ command });
      assert.equal(response.status, "succeeded", `${response.message}\n${response.stderr}`);
      assert.equal(response.steps[0]?.code, 0);
      assert.notEqual(response.stdout, "");
      assert.equal(response.target?.kind, "cluster");
    });
  }

  test("a secret's values never come back, and a confirmed write through argv runs under policy", async () => {
    const secrets = await h.runtime.exec({ command: "kubectl get secrets -n staging -o yaml" });
    assert.equal(secrets.status, "denied");
    const scale = { argv: ["kubectl", "scale", "deployment/web", "-n", "staging", "--replicas=3"] };
    const asked = await h.runtime.exec(scale);
    assert.equal(asked.status, "awaiting_confirmation");
    const ran = await h.runtime.exec({ ...scale, constraints: { confirm: true, confirmToken: asked.confirmToken } });
    assert.equal(ran.status, "succeeded", ran.stderr);
  });
});
