import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { decodeProtobufBody, encodeProtobufBody } from "../../src/sandbox/protobuf.js";
import { bearer, fetchRaw, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

// kubectl 1.33 sends protobuf bodies for these commands with no JSON fallback.
let h: Harness;
before(async () => {
  h = await harness({ kubernetesMinor: 33 });
});
after(async () => {
  await h.close();
});

test("protobuf bodies decode to the JSON a JSON client sends: times, int-or-string, quantities, bytes, zero values", () => {
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "pb", labels: { app: "pb" }, creationTimestamp: "2024-01-02T03:04:05Z" },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: "pb" } },
      strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: 1 } },
      template: { metadata: { labels: { app: "pb" } }, spec: { containers: [{ name: "c", image: "nginx", resources: { limits: { cpu: "100m", memory: "64Mi" } } }] } },
    },
  };
  const decoded = decodeProtobufBody(encodeProtobufBody(deployment));
  assert.deepEqual(decoded, { ...deployment, spec: { ...deployment.spec } });
  // Embedded Go structs (json inline) are separate messages in protobuf and spread out again in JSON.
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "inline" },
    spec: {
      volumes: [{ name: "scratch", emptyDir: {} }, { name: "config", configMap: { name: "web-config" } }],
      containers: [{ name: "c", image: "nginx", readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5 } }],
    },
  };
  assert.deepEqual(decodeProtobufBody(encodeProtobufBody(pod)), pod);
  const ingress = { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "i" }, spec: { rules: [{ host: "a.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] } };
  assert.deepEqual(decodeProtobufBody(encodeProtobufBody(ingress)), ingress);
  const secret = decodeProtobufBody(encodeProtobufBody({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { key: Buffer.from("hello").toString("base64") } }));
  assert.deepEqual(secret["data"], { key: "aGVsbG8=" });
});

test("hostile protobuf bodies are refused with a Status, never a crash", async () => {
  const post = (body: Buffer) =>
    fetchRaw(h.sandbox, "/api/v1/namespaces/dev/configmaps", { method: "POST", headers: { ...bearer(h.sandbox), "Content-Type": "application/vnd.kubernetes.protobuf" }, body: body.toString("latin1") });
  const cases: [string, Buffer, number, RegExp][] = [
    ["no magic prefix", Buffer.from('{"kind":"ConfigMap"}'), 415, /magic prefix/],
    ["truncated envelope", Buffer.concat([Buffer.from("k8s\0", "latin1"), Buffer.from([0x0a, 0x40, 0x0a])]), 415, /envelope could not be decoded/],
    ["unknown kind", encodeProtobufBody({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }).toString("latin1").replace("ConfigMap", "ConfigMaq"), 415, /no protobuf message is known for v1, Kind=ConfigMaq/],
  ].map(([name, body, code, message]) => [name as string, typeof body === "string" ? Buffer.from(body, "latin1") : (body as Buffer), code as number, message as RegExp]);
  for (const [name, body, code, message] of cases) {
    const res = await post(body);
    assert.equal(res.status, code, name);
    const status = JSON.parse(res.body) as { kind: string; message: string };
    assert.equal(status.kind, "Status", name);
    assert.match(status.message, message, name);
  }
});

test("kubectl 1.33 create deployment|namespace|configmap|secret send protobuf and the objects arrive intact", async () => {
  assert.match(await h.ok("create", "deployment", "pb", "--image=nginx:1.27", "--replicas=2", "-n", "dev"), /deployment.apps\/pb created/);
  assert.match(await h.ok("create", "namespace", "pb-ns"), /namespace\/pb-ns created/);
  assert.match(await h.ok("create", "configmap", "pb-cm", "--from-literal=greeting=hello", "-n", "dev"), /configmap\/pb-cm created/);
  assert.match(await h.ok("create", "secret", "generic", "pb-secret", "--from-literal=token=s3cr3t", "-n", "dev"), /secret\/pb-secret created/);
  assert.match(await h.ok("create", "ingress", "pb-ing", "-n", "dev", "--class=nginx", "--rule=shop.example.com/=web:80"), /ingress.networking.k8s.io\/pb-ing created/);
  const protobufPosts = h.sandbox.requests.filter((r) => r.method === "POST" && r.status === 201 && r.contentType === "application/vnd.kubernetes.protobuf");
  assert.equal(protobufPosts.length, 5, "kubectl 1.33 sent each body as protobuf");
  assert.equal(await h.ok("get", "ingress", "pb-ing", "-n", "dev", "-o", "jsonpath={.spec.rules[0].host} {.spec.rules[0].http.paths[0].backend.service.name}"), "shop.example.com web");
  assert.equal(await h.ok("get", "deployment", "pb", "-n", "dev", "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.selector.matchLabels.app} {.status.readyReplicas}"), "2 nginx:1.27 pb 2");
  assert.equal(await h.ok("get", "namespace", "pb-ns", "-o", "jsonpath={.status.phase}"), "Active");
  assert.equal(await h.ok("get", "configmap", "pb-cm", "-n", "dev", "-o", "jsonpath={.data.greeting}"), "hello");
  assert.equal(Buffer.from(await h.ok("get", "secret", "pb-secret", "-n", "dev", "-o", "jsonpath={.data.token}"), "base64").toString(), "s3cr3t");
});

test("kubectl 1.33 auth can-i, can-i --list and whoami (protobuf reviews)", async () => {
  assert.equal((await h.ok("auth", "can-i", "delete", "pods", "-n", "prod")).trim(), "yes");
  const list = await h.ok("auth", "can-i", "--list", "-n", "prod");
  assert.match(list, /^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$/m);
  const whoami = await h.ok("auth", "whoami");
  assert.match(whoami, /Username\s+rag-k8s-sandbox-admin/);
  assert.match(whoami, /Groups\s+\[system:masters system:authenticated\]/);
});
