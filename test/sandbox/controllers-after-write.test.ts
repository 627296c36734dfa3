import assert from "node:assert/strict";
import { setImmediate as nextTurn } from "node:timers/promises";
import { test } from "node:test";
import { Api } from "../../src/sandbox/api.js";
import { Cluster } from "../../src/sandbox/cluster.js";
import { ControllerManager } from "../../src/sandbox/controllers/index.js";
import { defaultFixturePath, loadSeed, readSeed } from "../../src/sandbox/fixture.js";
import { typeOf } from "../../src/sandbox/resources.js";
import type { KubeObject } from "../../src/sandbox/types.js";
import { bearer, fetchRaw, field, harness } from "./helpers.js";

const DEPLOYMENTS = typeOf("apps", "deployments");
const REPLICASETS = typeOf("apps", "replicasets");
const REVISION = "deployment.kubernetes.io/revision";

/** A seeded cluster with its controllers and API, without an HTTP server. */
async function cluster(): Promise<{ cluster: Cluster; controllers: ControllerManager; api: Api }> {
  const seeded = new Cluster();
  const controllers = new ControllerManager(seeded, 0);
  loadSeed(seeded, controllers, await readSeed(defaultFixturePath()));
  return { cluster: seeded, controllers, api: new Api(seeded, controllers) };
}

const restartPatch = (stamp: string) => ({ spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": stamp } } } } });
const revisions = (c: Cluster, namespace: string): string[] => c.store.list(REPLICASETS, namespace).map((rs: KubeObject) => rs.metadata.annotations?.[REVISION] ?? "").sort();

test("a write is answered before the controllers act; they finish in the background, or at once before the next request", async () => {
  for (const finish of ["background", "next request"] as const) {
    const { cluster: c, controllers, api } = await cluster();
    try {
      const before = revisions(c, "shop");
      const written = api.patch(DEPLOYMENTS, "shop", "web", "strategic", restartPatch("2026-01-01T00:00:00Z"), undefined, false, {});
      // The answer is the object as written: the controller has not observed it, and no new ReplicaSet exists yet.
      assert.ok((field(written, "status.observedGeneration") as number) < (written.metadata.generation ?? 0), finish);
      assert.deepEqual(revisions(c, "shop"), before, `${finish}: nothing rolled out before the answer`);
      if (finish === "background") {
        for (let turn = 0; turn < 500 && revisions(c, "shop").length === before.length; turn++) await nextTurn();
      } else controllers.settlePending();
      assert.equal(revisions(c, "shop").length, before.length + 1, `${finish}: a new ReplicaSet revision`);
      controllers.settlePending();
      assert.equal(field(c.store.get(DEPLOYMENTS, "shop", "web"), "status.updatedReplicas"), 3, `${finish}: rolled out`);
    } finally {
      controllers.stop();
    }
  }
});

test("over HTTP, the request after a write sees the settled cluster, and kubectl rollout status completes", async () => {
  const h = await harness();
  try {
    const path = "/apis/apps/v1/namespaces/staging/deployments/web";
    const patched = await fetchRaw(h.sandbox, path, {
      method: "PATCH",
      headers: { ...bearer(h.sandbox), "Content-Type": "application/strategic-merge-patch+json" },
      body: JSON.stringify(restartPatch("2026-01-01T00:00:00Z")),
    });
    assert.equal(patched.status, 200, patched.body);
    const read = JSON.parse((await fetchRaw(h.sandbox, path, { headers: bearer(h.sandbox) })).body) as KubeObject;
    assert.equal(field(read, "status.observedGeneration"), read.metadata.generation, "the next request is served from the settled cluster");
    assert.equal(field(read, "status.updatedReplicas"), field(read, "spec.replicas"));
    assert.match(await h.ok("rollout", "status", "deployment/web", "-n", "staging", "--timeout=20s"), /successfully rolled out/);
  } finally {
    await h.close();
  }
});
