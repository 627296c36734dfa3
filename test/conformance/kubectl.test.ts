import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { cluster, kubectl, kubectlBinary, watchOutput } from "./harness.js";
import type { Cluster } from "./harness.js";

// The kubectl minors beside the dispatcher: 1.31 sends JSON bodies, 1.33 sends protobuf for create and auth.
for (const minor of [31, 33]) {
  const binary = kubectlBinary(minor);
  describe(`kubectl 1.${minor}`, { skip: binary ? false : `kubectl.1.${minor} is not installed beside the kubectl dispatcher` }, () => {
    let c: Cluster;
    let k: ReturnType<typeof kubectl>;
    before(async () => {
      c = await cluster(minor);
      k = kubectl(binary as string, c);
    });
    after(async () => {
      await c.close();
    });

    test("list and get", async () => {
      const names = (await k.ok("get", "deployments", "-A", "-o", "name")).trim().split("\n");
      assert.ok(names.includes("deployment.apps/web") && names.includes("deployment.apps/payments-api"), names.join(" "));
      assert.match(await k.ok("get", "pods", "-n", "prod"), /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n[\s\S]*api-5f7c8d-abcde\s+0\/1\s+CrashLoopBackOff\s+7/m);
      assert.equal(await k.ok("get", "deployment", "web", "-n", "prod", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"), "2 registry.example.com/web:2.3.1");
      assert.match(await k.ok("get", "ingress,hpa,pvc", "-n", "prod"), /ingress\.networking\.k8s\.io\/web\s+nginx[\s\S]*horizontalpodautoscaler\.autoscaling\/web\s+Deployment\/web[\s\S]*persistentvolumeclaim\/payments-db-data\s+Bound/);
    });

    test("watch sees a change made while it runs", async () => {
      const watches = () => c.sandbox.requests.some((r) => r.verb === "watch" && r.path === "/api/v1/namespaces/dev/configmaps");
      const out = await watchOutput(binary as string, ["get", "configmaps", "-n", "dev", "--watch-only", "-o", "name"], k.env, watches, () => k.ok("create", "configmap", `watched-${minor}`, "-n", "dev", "--from-literal=a=b"), new RegExp(`configmap/watched-${minor}`));
      assert.match(out, new RegExp(`^configmap/watched-${minor}$`, "m"));
    });

    test("patch, server-side apply with conflicts, client-side apply, create and delete", async () => {
      await k.ok("patch", "deployment", "web", "-n", "prod", "--type=merge", "-p", `{"metadata":{"labels":{"conformance":"kubectl-${minor}"}}}`);
      assert.equal(await k.ok("get", "deployment", "web", "-n", "prod", "-o", "jsonpath={.metadata.labels.conformance}"), `kubectl-${minor}`);
      const cm = (value: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa", namespace: "dev" }, data: { value } });
      assert.match(await k.ok("apply", "--server-side", "-f", c.manifest("ssa-1", cm("one"))), /configmap\/ssa serverside-applied/);
      const conflict = await k.run("apply", "--server-side", "--field-manager=other", "-f", c.manifest("ssa-2", cm("two")));
      assert.equal(conflict.code, 1);
      assert.match(conflict.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.data\.value/);
      assert.match(await k.ok("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", c.manifest("ssa-2", cm("two"))), /serverside-applied/);
      assert.equal(await k.ok("get", "configmap", "ssa", "-n", "dev", "-o", "jsonpath={.data.value}"), "two");
      assert.match(await k.ok("apply", "-f", c.manifest("csa", { ...cm("three"), metadata: { name: "csa", namespace: "dev" } })), /configmap\/csa created/);
      assert.match(await k.ok("create", "deployment", `created-${minor}`, "--image=nginx:1.27", "--replicas=2", "-n", "dev"), /created/);
      assert.equal(await k.ok("get", "deployment", `created-${minor}`, "-n", "dev", "-o", "jsonpath={.status.readyReplicas}"), "2");
      assert.match(await k.ok("delete", "configmap", "ssa", "csa", "-n", "dev"), /configmap "ssa" deleted[\s\S]*configmap "csa" deleted/);
      assert.match((await k.run("get", "configmap", "ssa", "-n", "dev")).stderr, /configmaps "ssa" not found/);
    });

    test("logs, scale, events and top", async () => {
      assert.match(await k.ok("logs", "api-5f7c8d-abcde", "-n", "prod", "--previous"), /panic: runtime error/);
      assert.match(await k.ok("logs", "-n", "prod", "-l", "app=payments-api", "--tail=-1"), /connected to postgres/);
      assert.match(await k.ok("scale", "deployment", "web", "-n", "prod", "--replicas=3"), /deployment.apps\/web scaled/);
      assert.equal(await k.ok("get", "deployment", "web", "-n", "prod", "-o", "jsonpath={.status.readyReplicas}"), "3");
      assert.match(await k.ok("get", "deployment", "web", "-n", "prod", "--subresource=scale"), /^NAME\s+DESIRED\s+AVAILABLE\nweb\s+3\s+3/);
      assert.match(await k.ok("events", "-n", "prod", "--types=Warning"), /BackOff\s+Pod\/api-5f7c8d-abcde/);
      assert.match(await k.ok("top", "pods", "-n", "data"), /postgres-0\s+80m\s+420Mi/);
      assert.match(await k.ok("top", "nodes"), /^worker-1\s+\d+m\s+\d+%/m);
    });

    test("logs of a workload with no pod yet watch pods through a typed client (a protobuf watch from 1.33 on)", async () => {
      await k.ok("create", "deployment", `late-${minor}`, "--image=nginx:1.27", "--replicas=0", "-n", "dev");
      const podWatch = () => c.sandbox.requests.find((r) => r.path === "/api/v1/namespaces/dev/pods" && r.query["watch"] === "true" && r.query["labelSelector"] === `app=late-${minor}`);
      const logs = k.run("logs", `deployment/late-${minor}`, "-n", "dev", "--pod-running-timeout=20s");
      for (let i = 0; i < 200 && !podWatch(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await k.ok("scale", "deployment", `late-${minor}`, "-n", "dev", "--replicas=1");
      const r = await logs;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /starting nginx \(nginx:1\.27\)/, "kubectl read the pod the watch announced, then its log");
      const watchType = minor >= 33 ? "application/vnd.kubernetes.protobuf;stream=watch" : "application/json";
      assert.equal(podWatch()?.responseType, watchType);
    });

    test("describe reads through kubectl's typed clients (protobuf answers from 1.33 on)", async () => {
      c.sandbox.clearRequests();
      const described = await k.ok("describe", "deployment", "api", "-n", "prod");
      assert.match(described, /^NewReplicaSet:\s+api-\w+ \(3\/3 replicas created\)$/m);
      assert.match(described, /^OldReplicaSets:\s+(api-\w+ \(0\/0 replicas created\)(, )?){3}$/m);
      const typed = c.sandbox.requests.filter((r) => r.path === "/apis/apps/v1/namespaces/prod/replicasets" || r.path === "/api/v1/namespaces/prod/events");
      assert.ok(typed.length >= 2);
      for (const r of typed) assert.equal(r.responseType, minor >= 33 ? "application/vnd.kubernetes.protobuf" : "application/json", `${r.path} (Accept: ${r.accept ?? ""})`);
    });

    test("explain, auth and debug", async () => {
      assert.match(await k.ok("explain", "deployment.spec.strategy"), /Type of deployment\. Can be "Recreate" or "RollingUpdate"/);
      // Flux's own field documentation, from its CRDs.
      assert.match(await k.ok("explain", "kustomization.spec.prune"), /Prune enables garbage collection\./);
      assert.match(await k.ok("explain", "helmrelease.spec"), /chart\s+<Object>\n\s+Chart defines the template of the v1\.HelmChart that should be created\n\s+for this HelmRelease\./);
      assert.equal((await k.ok("auth", "can-i", "patch", "deployments", "-n", "prod")).trim(), "yes");
      assert.match(await k.ok("auth", "whoami"), /Username\s+rag-k8s-sandbox-admin/);
      await k.ok("debug", "web-0", "-n", "shop", "--image=busybox:1.36", "--container=dbg");
      assert.match(await k.ok("get", "pod", "web-0", "-n", "shop", "-o", "jsonpath={.status.ephemeralContainerStatuses[0].name}"), /^dbg$/);
    });
  });
}
