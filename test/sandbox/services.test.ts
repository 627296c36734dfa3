import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { field, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

// Services get their addresses as from the API server's allocators: a cluster IP from 10.96.0.0/12,
// node ports from 30000-32767, both validated when named and kept for the Service's life.
let h: Harness;
before(async () => {
  h = await harness();
});
after(() => h.close());

const inServiceCidr = (ip: string): boolean => {
  const [a, b, c, d] = ip.split(".").map(Number) as [number, number, number, number];
  return a === 10 && b >= 96 && b <= 111 && !(b === 96 && c === 0 && d <= 1);
};

test("created Services get a free cluster IP from the service CIDR, and node ports when they need them", async () => {
  const before = new Set(h.sandbox.list("services").map((s) => String(field(s, "spec.clusterIP"))));
  await h.ok("create", "service", "clusterip", "alloc-a", "--tcp=80:8080", "-n", "dev");
  await h.ok("create", "service", "nodeport", "alloc-np", "--tcp=80:8080", "-n", "dev");
  await h.ok("create", "service", "clusterip", "alloc-headless", "--clusterip=None", "--tcp=80:80", "-n", "dev");
  const a = h.sandbox.get("services", "dev", "alloc-a");
  const ip = String(field(a, "spec.clusterIP"));
  assert.ok(inServiceCidr(ip), ip);
  assert.ok(!before.has(ip), "not an address another Service holds");
  assert.deepEqual([field(a, "spec.clusterIPs"), field(a, "spec.ipFamilies"), field(a, "spec.ipFamilyPolicy")], [[ip], ["IPv4"], "SingleStack"]);
  const np = h.sandbox.get("services", "dev", "alloc-np");
  const nodePort = Number((field(np, "spec.ports") as { nodePort: number }[])[0]?.nodePort);
  assert.ok(nodePort >= 30000 && nodePort <= 32767, String(nodePort));
  assert.equal(field(np, "spec.externalTrafficPolicy"), "Cluster");
  assert.notEqual(field(np, "spec.clusterIP"), ip);
  assert.deepEqual(field(h.sandbox.get("services", "dev", "alloc-headless"), "spec.clusterIPs"), ["None"]);
  assert.match(await h.ok("get", "svc", "alloc-np", "-n", "dev"), new RegExp(`^alloc-np\\s+NodePort\\s+10\\.\\d+\\.\\d+\\.\\d+\\s+<none>\\s+80:${nodePort}/TCP`, "m"));
});

test("named addresses must be free and in range; addresses stay when an update leaves them out and cannot change", async () => {
  const taken = String(field(h.sandbox.get("services", "prod", "payments-api"), "spec.clusterIP"));
  const cases: [string[], RegExp][] = [
    [["--clusterip=1.1.1.1"], /spec\.clusterIPs: Invalid value: \[\]string\{"1\.1\.1\.1"\}: failed to allocate IP 1\.1\.1\.1: the provided IP \(1\.1\.1\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/],
    [[`--clusterip=${taken}`], new RegExp(`failed to allocate IP ${taken.replace(/\./g, "\\.")}: provided IP is already allocated`)],
  ];
  for (const [flags, message] of cases) {
    const r = await h.kubectl("create", "service", "clusterip", "named", "--tcp=80:80", "-n", "dev", ...flags);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, message);
  }
  await h.ok("create", "service", "nodeport", "keeps", "--tcp=80:80", "-n", "dev");
  const created = h.sandbox.get("services", "dev", "keeps");
  const replaced = JSON.parse(await h.ok("get", "svc", "keeps", "-n", "dev", "-o", "json")) as { spec: Record<string, unknown> & { ports: Record<string, unknown>[] } };
  delete replaced.spec["clusterIP"];
  delete replaced.spec["clusterIPs"];
  for (const p of replaced.spec.ports) delete p["nodePort"];
  replaced.spec.ports[0] = { ...replaced.spec.ports[0], name: "http" };
  const dir = await mkdtemp(join(tmpdir(), "rag-k8s-services-"));
  try {
    await writeFile(join(dir, "keeps.json"), JSON.stringify(replaced));
    await h.ok("replace", "-f", join(dir, "keeps.json"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const after = h.sandbox.get("services", "dev", "keeps");
  assert.equal(field(after, "spec.clusterIP"), field(created, "spec.clusterIP"));
  assert.deepEqual(field(after, "spec.ports"), (field(created, "spec.ports") as Record<string, unknown>[]).map((p) => ({ ...p, name: "http" })));
  const changed = await h.kubectl("patch", "svc", "keeps", "-n", "dev", "--type=merge", "-p", '{"spec":{"clusterIP":"10.96.77.77"}}');
  assert.match(changed.stderr, /spec\.clusterIPs\[0\]: Invalid value: "10\.96\.77\.77": may not change once set/);
});
