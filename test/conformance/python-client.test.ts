import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { field } from "../sandbox/helpers.js";
import { cluster } from "./harness.js";
import type { Cluster } from "./harness.js";

// The official python client (kubernetes-client/python), as Debian packages it (python3-kubernetes);
// the pip mirrors carry neither it nor lightkube. Nothing is installed at test time.
const SCRIPT = fileURLToPath(new URL("./python-client.py", import.meta.url));
const interpreter = ["python3", "/usr/bin/python3"].find((python) => {
  try {
    execFileSync(python, ["-c", "import kubernetes"], { stdio: "ignore", timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
});
const skip = interpreter ? false : "the python kubernetes client is not importable by python3 or /usr/bin/python3 (Debian: apt-get install python3-kubernetes; it is not in the pip mirrors)";

let c: Cluster;
before(async () => {
  if (interpreter) c = await cluster();
});
after(async () => {
  if (interpreter) await c.close();
});

interface Results {
  pods: string[];
  web: { replicas: number; ready: number };
  watch: [string, string][];
  previous: string;
  current: string;
  patched: string;
  scale: number;
  backoff: boolean;
  top: Record<string, { cpu: string; memory: string }>;
  deleted: boolean;
}

test("list, get, watch (watch=True), previous logs (previous=True), patch, scale, events, top and delete through the python client", { skip }, async () => {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(interpreter as string, [SCRIPT, c.kubeconfig], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: c.dir }, timeout: 60_000 }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out)));
  });
  const r = JSON.parse(stdout) as Results;
  assert.ok(r.pods.includes("prod/api-5f7c8d-abcde") && r.pods.includes("data/postgres-0"));
  assert.deepEqual(r.web, { replicas: 2, ready: 2 });
  assert.deepEqual(r.watch, [["ADDED", "from-python"]], "a stream of events from the resourceVersion, not a list");
  assert.ok(c.sandbox.requests.some((q) => q.path === "/api/v1/namespaces/dev/configmaps" && q.query["watch"] === "True"), "the client sends watch=True");
  assert.match(r.previous, /panic: runtime error/);
  assert.notEqual(r.previous, r.current, "previous=True is the terminated container's log");
  assert.ok(c.sandbox.requests.some((q) => q.path.endsWith("/pods/api-5f7c8d-abcde/log") && q.query["previous"] === "True"));
  assert.equal(r.patched, "python");
  assert.equal(r.scale, 3);
  assert.equal(field(c.sandbox.get("deployments", "prod", "web"), "status.readyReplicas"), 3);
  assert.ok(r.backoff, "the crash loop's BackOff warning is listed");
  // As metrics-server reports them: nanocores and kibibytes (80m, 420Mi).
  assert.deepEqual(r.top["postgres-0"], { cpu: "80000000n", memory: "430080Ki" });
  assert.ok(r.deleted);
});
