/**
 * Red-team family: credential leaks. Values planted where an attacker (or an ordinary app) puts them — env
 * values, ConfigMap data, log lines — and a password typed into a goal must not come back through any read shape,
 * the health scan, an error message or the audit log.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { startHarness } from "../core/harness.js";
import type { Harness } from "../core/harness.js";
import { hostileFixture, PLANTED } from "./fixture.js";

const leaked = (text: string): string[] => Object.entries(PLANTED).filter(([, value]) => text.includes(value)).map(([name]) => name);

/** Reads the policy allows: whole objects (redacted by structure and value), describe, logs. */
const ALLOWED_READS: readonly string[] = [
  "kubectl get deployment leaky -n staging -o yaml",
  "kubectl get deployment leaky -n staging -o json",
  "kubectl get deployments -n staging -o yaml",
  "kubectl get pods -n staging -o yaml",
  "kubectl get pods -n staging -o json",
  "kubectl describe deployment leaky -n staging",
  "kubectl describe pods -n staging -l app=leaky",
  "kubectl get configmap leaky-config -n staging -o yaml",
  "kubectl get configmaps -n staging -o json",
  "kubectl describe configmap leaky-config -n staging",
  "kubectl logs deployment/leaky -n staging",
  "kubectl logs deployment/leaky -n staging --tail=2",
];

/** Bare-value output over env and ConfigMap data: denied, since a bare value cannot be recognised as secret. */
const DENIED_READS: readonly string[] = [
  "kubectl get deployment leaky -n staging -o jsonpath={.spec.template.spec.containers[*].env[*].value}",
  "kubectl get deployment leaky -n staging -o custom-columns=V:.spec.template.spec.containers[*].env[*].value",
  "kubectl get deploy -n staging -o jsonpath={..value}",
  "kubectl get deploy -n staging -o jsonpath={..env}",
  "kubectl get configmap leaky-config -n staging -o jsonpath={.data}",
  "kubectl get configmap leaky-config -n staging -o jsonpath={.data.GITHUB_TOKEN}",
  "kubectl get cm leaky-config -n staging -o jsonpath={.data.*}",
  "kubectl get cm leaky-config -n staging -o custom-columns=A:.data",
  "kubectl get cm -n staging -o jsonpath={range .items[*]}{.data}{end}",
  "kubectl get deployment leaky -n staging -o go-template={{range .spec.template.spec.containers}}{{range .env}}{{.value}}{{end}}{{end}}",
];

describe("red team: planted credentials never come back", () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({}, { fixture: hostileFixture() });
  });
  after(() => h.close());

  for (const command of ALLOWED_READS) {
    test(`read, redacted: ${command}`, async () => {
      const response = await h.runtime.read({ command });
      assert.equal(response.status, "succeeded", `${response.message} ${response.stderr}`);
      assert.deepEqual(leaked(JSON.stringify(response)), []);
      assert.ok(!response.stdout.includes("\u001b") && !response.stdout.includes("\u0007"), "no terminal escape reaches the caller");
    });
  }

  for (const command of DENIED_READS) {
    test(`denied: ${command}`, async () => {
      const spawned = h.runtime.executor.spawnCount;
      const response = await h.runtime.read({ command });
      assert.equal(response.status, "denied", response.message);
      assert.equal(h.runtime.executor.spawnCount, spawned);
      assert.deepEqual(leaked(JSON.stringify(response)), []);
    });
  }

  test("logs through the goal and structured forms are redacted too", async () => {
    for (const request of [{ goal: "show logs of deployment leaky in staging" }, { intent: "logs", resource: "deployment", namespace: "staging", name: "leaky" }]) {
      const response = await h.runtime.read(request);
      assert.equal(response.status, "succeeded", response.message);
      assert.deepEqual(leaked(JSON.stringify(response)), [], JSON.stringify(request));
    }
  });

  test("a password typed into a goal is not echoed back in the answer (finding: needs_input listed it verbatim)", async () => {
    const goals = [
      `restart web in staging, db password is ${PLANTED.envPassword}`,
      `restart web in staging with token ${PLANTED.configToken}`,
      `restart web in staging ${PLANTED.stripe}`,
    ];
    for (const goal of goals) {
      const response = await h.runtime.plan({ goal });
      assert.deepEqual(leaked(JSON.stringify(response)), [], `${goal} → ${response.message}`);
    }
  });

  test("the health scan's evidence, and every audit file, hold no planted value", async () => {
    const report = await h.runtime.health({ namespace: "staging" });
    assert.deepEqual(leaked(JSON.stringify(report)), []);
    const folder = dirname(h.auditPath);
    for (const file of readdirSync(folder)) assert.deepEqual(leaked(readFileSync(join(folder, file), "utf8")), [], file);
  });
});
