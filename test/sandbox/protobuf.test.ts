import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parse as parseYaml } from "yaml";
import { decodeProtobufBody, decodeWatchFrames, encodeProtobufBody } from "../../src/sandbox/protobuf.js";
import { bearer, fetchBytes, fetchRaw, harness } from "./helpers.js";
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
  // MicroTime keeps its microseconds through protobuf (events.k8s.io eventTime).
  const event = { apiVersion: "events.k8s.io/v1", kind: "Event", metadata: { name: "e", namespace: "dev" }, eventTime: "2024-01-02T03:04:05.123456Z", reason: "Tested", action: "Test", reportingController: "rag-k8s", reportingInstance: "x" };
  assert.equal(decodeProtobufBody(encodeProtobufBody(event))["eventTime"], "2024-01-02T03:04:05.123456Z");
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

/** JSON without Go's zero values ("", empty lists, maps and structs) and nulls, which protobuf may leave out. */
function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutZeroValues);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    const kept = withoutZeroValues(v);
    // An empty map and an empty struct look alike in JSON; protobuf drops the first and keeps the second.
    if (typeof kept === "object" && kept !== null && !Array.isArray(kept) && Object.keys(kept).length === 0) continue;
    out[k] = kept;
  }
  return out;
}

const getAs = (path: string, accept: string) => fetchRaw(h.sandbox, path, { headers: { ...bearer(h.sandbox), Accept: accept } });
const fetchRawBytes = (path: string, accept: string) => fetchBytes(h.sandbox, path, { ...bearer(h.sandbox), Accept: accept });

test("responses honour Accept: protobuf for every built-in kind served (lists decode to the JSON answer), JSON for the rest", async () => {
  const { RESOURCES, apiVersionOf } = await import("../../src/sandbox/resources.js");
  const { protobufEncodable } = await import("../../src/sandbox/protobuf.js");
  const prefersProtobuf = "application/vnd.kubernetes.protobuf, application/json";
  let encoded = 0;
  for (const type of RESOURCES.filter((r) => !r.virtual && r.verbs.includes("list"))) {
    const path = `/${type.group === "" ? "api" : `apis/${type.group}`}/${type.version}/${type.resource}`;
    const json = await getAs(path, "application/json");
    assert.equal(json.status, 200, path);
    const raw = await fetchRawBytes(path, prefersProtobuf);
    if (!protobufEncodable({ apiVersion: apiVersionOf(type), kind: `${type.kind}List` })) {
      assert.equal(raw.contentType, "application/json", `${path}: no protobuf message, so JSON`);
      continue;
    }
    encoded++;
    assert.equal(raw.contentType, "application/vnd.kubernetes.protobuf", path);
    assert.deepEqual(raw.body.subarray(0, 4), Buffer.from("k8s\0", "latin1"), path);
    // A list's items carry no apiVersion and kind in protobuf (the typed message has no TypeMeta).
    const list = JSON.parse(json.body) as { items: Record<string, unknown>[] };
    const items = list.items.map(({ apiVersion: _v, kind: _k, ...rest }) => rest);
    assert.deepEqual(withoutZeroValues(decodeProtobufBody(raw.body)), withoutZeroValues({ ...list, items }), path);
  }
  assert.ok(encoded >= 30, `built-in kinds answered in protobuf: ${encoded}`);
  const onlyProtobuf = await getAs("/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations", "application/vnd.kubernetes.protobuf");
  assert.equal(onlyProtobuf.status, 406, "a custom resource has no protobuf form");
  const missing = await fetchRawBytes("/api/v1/namespaces/prod/pods/nope", prefersProtobuf);
  assert.equal(missing.status, 404);
  assert.deepEqual(decodeProtobufBody(missing.body), { apiVersion: "v1", kind: "Status", metadata: {}, status: "Failure", message: 'pods "nope" not found', reason: "NotFound", details: { name: "nope", kind: "pods" }, code: 404 });
  const yaml = await fetchRawBytes("/api/v1/namespaces/dev/configmaps/web-config", "application/yaml");
  assert.equal(yaml.contentType, "application/yaml");
  assert.deepEqual(parseYaml(yaml.body.toString("utf8")), JSON.parse((await getAs("/api/v1/namespaces/dev/configmaps/web-config", "application/json")).body));
  assert.equal((await getAs("/api/v1/namespaces/dev/configmaps?watch=true", "application/yaml")).status, 406, "YAML has no watch framing");
  const table = await getAs("/api/v1/namespaces/prod/pods", "application/json;as=Table;v=v1;g=meta.k8s.io,application/vnd.kubernetes.protobuf,application/json");
  assert.equal((JSON.parse(table.body) as { kind: string }).kind, "Table", "tables stay JSON");
});

test("a protobuf watch is a stream of length-prefixed WatchEvents, each object in its envelope", async () => {
  const raw = await fetchRawBytes("/api/v1/namespaces/dev/configmaps?watch=true&timeoutSeconds=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan", "application/vnd.kubernetes.protobuf, application/json");
  assert.equal(raw.contentType, "application/vnd.kubernetes.protobuf;stream=watch");
  const events = decodeWatchFrames(raw.body);
  const names = h.sandbox.list("configmaps", "dev").map((c) => c.metadata.name).sort();
  assert.deepEqual(events.slice(0, -1).map((e) => [e.type, (e.object["metadata"] as { name: string }).name]), names.map((n) => ["ADDED", n]));
  const last = events.at(-1);
  assert.equal(last?.type, "BOOKMARK");
  assert.deepEqual((last?.object["metadata"] as { annotations: unknown }).annotations, { "k8s.io/initial-events-end": "true" });
  let consumed = 0;
  for (const e of events) consumed += 4 + raw.body.readUInt32BE(consumed) + 0 * e.type.length;
  assert.equal(consumed, raw.body.length, "frames tile the stream exactly");
});
