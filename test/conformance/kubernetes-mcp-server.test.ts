import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { bearer, fetchRaw, field } from "../sandbox/helpers.js";
import { cluster, mcpServerBinary } from "./harness.js";
import type { Cluster } from "./harness.js";

// containers/kubernetes-mcp-server (client-go: protobuf bodies, server-side apply) driven over MCP stdio,
// pointed only at the sandbox's loopback kubeconfig.
const binary = mcpServerBinary();
const skip = binary ? false : "the kubernetes-mcp-server binary package for this platform is not installed (npm install installs it as an optional dependency)";

let c: Cluster;
let client: Client;
before(async () => {
  if (!binary) return;
  c = await cluster();
  const transport = new StdioClientTransport({
    command: binary,
    args: ["--kubeconfig", c.kubeconfig, "--cluster-provider", "kubeconfig", "--disable-multi-cluster", "--toolsets", "core,config", "--log-file", join(c.dir, "mcp.log")],
    env: { HOME: c.dir, PATH: "/usr/bin:/bin" },
    stderr: "ignore",
  });
  client = new Client({ name: "rag-k8s-conformance", version: "1.0.0" });
  await client.connect(transport);
});
after(async () => {
  if (!binary) return;
  await client.close();
  await c.close();
});

async function call(name: string, args: Record<string, unknown>): Promise<string> {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text?: string }[]).map((part) => part.text ?? "").join("\n");
  assert.ok(!result.isError, `${name} failed: ${text}`);
  return text;
}

test("cluster-wide lists return the sandbox's objects (its access review is decoded from protobuf)", { skip }, async () => {
  const pods = await call("pods_list", {});
  assert.match(pods, /^prod\s+v1\s+Pod\s+api-5f7c8d-abcde\s+0\/1\s+CrashLoopBackOff/m);
  assert.match(pods, /^data\s+v1\s+Pod\s+postgres-0\s+1\/1\s+Running/m);
  const deployments = await call("resources_list", { apiVersion: "apps/v1", kind: "Deployment" });
  assert.match(deployments, /^prod\s+apps\/v1\s+Deployment\s+web\s+2\/2/m);
  assert.match(deployments, /^dev\s+apps\/v1\s+Deployment\s+api\s/m);
  assert.match(await call("namespaces_list", {}), /^v1\s+Namespace\s+flux-system\s+Active/m);
  const reviews = c.sandbox.requests.filter((r) => r.path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");
  assert.ok(reviews.length > 0 && reviews.every((r) => r.contentType === "application/vnd.kubernetes.protobuf" && r.status === 201), JSON.stringify(reviews.map((r) => [r.contentType, r.status])));
  // client-go prefers protobuf responses for built-in kinds; it decoded the review the sandbox answered in protobuf.
  assert.ok(reviews.every((r) => r.accept === "application/vnd.kubernetes.protobuf,application/json" && r.responseType === "application/vnd.kubernetes.protobuf"));
});

test("get, logs, events, top and the node stats summary", { skip }, async () => {
  assert.match(await call("resources_get", { apiVersion: "networking.k8s.io/v1", kind: "Ingress", name: "web", namespace: "prod" }), /host: shop\.example\.com/);
  assert.match(await call("pods_log", { name: "api-5f7c8d-abcde", namespace: "prod", previous: true }), /panic: runtime error/);
  assert.match(await call("events_list", { namespace: "prod" }), /Reason: BackOff/);
  assert.match(await call("pods_top", { namespace: "data" }), /postgres-0\s+postgres\s+80m\s+420Mi/);
  const summary = JSON.parse(await call("nodes_stats_summary", { name: "worker-1" })) as { node: { nodeName: string } };
  assert.equal(summary.node.nodeName, "worker-1");
});

test("node logs through the node proxy's log query, and node top", { skip }, async () => {
  const node = String(field(c.sandbox.get("pods", "prod", "api-5f7c8d-abcde"), "spec.nodeName"));
  const journal = await call("nodes_log", { name: node, query: "kubelet" });
  assert.match(journal, new RegExp(`^[A-Z][a-z]{2} \\d{2} [\\d:.]+ ${node} kubelet\\[\\d+\\]: .*"Event occurred" object="prod/api-5f7c8d-abcde".* reason="BackOff"`, "m"));
  assert.deepEqual((await call("nodes_log", { name: node, query: "kubelet", tailLines: 3 })).trimEnd().split("\n"), journal.trimEnd().split("\n").slice(-3));
  assert.match(await call("nodes_log", { name: node, query: "/kubelet.log" }), /^I\d{4} .*reason="Started"/m);
  const queries = c.sandbox.requests.filter((r) => r.path === `/api/v1/nodes/${node}/proxy/logs`).map((r) => r.query);
  assert.deepEqual(queries, [{ query: "kubelet" }, { query: "kubelet", tailLines: "3" }, { query: "/kubelet.log" }]);
  assert.match(await call("nodes_top", {}), /^worker-1\s+\d+m\s+\d+%?\s+\d+Mi/m);
  // The node reads and the node list behind nodes_top were answered in protobuf, which client-go decoded.
  const nodeReads = c.sandbox.requests.filter((r) => r.method === "GET" && (r.path === `/api/v1/nodes/${node}` || r.path === "/api/v1/nodes"));
  assert.deepEqual([...new Set(nodeReads.map((r) => `${r.path === "/api/v1/nodes" ? "list" : "get"} ${r.status} ${r.responseType ?? ""}`))].sort(), ["get 200 application/vnd.kubernetes.protobuf", "list 200 application/vnd.kubernetes.protobuf"]);
});

test("create or update (server-side apply), scale and delete change the sandbox", { skip }, async () => {
  const manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "from-mcp", namespace: "dev" }, data: { greeting: "hello" } };
  assert.match(await call("resources_create_or_update", { resource: JSON.stringify(manifest) }), /manager: kubernetes-mcp-server\n\s+operation: Apply/);
  const stored = await fetchRaw(c.sandbox, "/api/v1/namespaces/dev/configmaps/from-mcp", { headers: bearer(c.sandbox) });
  assert.equal((JSON.parse(stored.body) as { data: Record<string, string> }).data["greeting"], "hello");
  assert.match(await call("resources_scale", { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod", scale: 3 }), /replicas: 3/);
  assert.match(await call("resources_get", { apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: "prod" }), /readyReplicas: 3/);
  assert.match(await call("pods_run", { image: "nginx:1.27", name: "mcp-run", namespace: "dev" }), /name: mcp-run/);
  await call("resources_delete", { apiVersion: "v1", kind: "ConfigMap", name: "from-mcp", namespace: "dev" });
  assert.match(await client.callTool({ name: "resources_get", arguments: { apiVersion: "v1", kind: "ConfigMap", name: "from-mcp", namespace: "dev" } }).then((r) => JSON.stringify(r.content)), /not found/);
});
