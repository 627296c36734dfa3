import assert from "node:assert/strict";
import { request } from "node:https";
import { after, before, test } from "node:test";
import { bearer, fetchRaw, harness } from "./helpers.js";
import type { Harness } from "./helpers.js";

let h: Harness;
before(async () => {
  h = await harness({ kubernetesMinor: 33 });
});
after(async () => {
  await h.close();
});

/** Collects watch events until the server ends the watch (timeoutSeconds). */
function watchEvents(path: string): { ready: Promise<void>; events: Promise<{ type: string; object: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } } }[]> } {
  let signal: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signal = resolve));
  const events = new Promise<{ type: string; object: { metadata: { name: string }; status?: { phase?: string } } }[]>((resolve, reject) => {
    const req = request(new URL(path, h.sandbox.url), { headers: bearer(h.sandbox), ca: h.sandbox.ca }, (res) => {
      signal();
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString("utf8")));
      res.on("end", () => resolve(text.split("\n").filter(Boolean).map((l) => JSON.parse(l))));
    });
    req.on("error", reject);
    req.end();
  });
  return { ready, events };
}

test("deleting a namespace passes through Terminating, empties it, refuses new content, then removes it", async () => {
  await h.ok("create", "namespace", "doomed");
  await h.ok("create", "configmap", "inside", "-n", "doomed", "--from-literal=a=b");
  const rv = (JSON.parse(await h.ok("get", "namespace", "doomed", "-o", "json")) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const watch = watchEvents(`/api/v1/namespaces?watch=1&fieldSelector=metadata.name%3Ddoomed&resourceVersion=${rv}&timeoutSeconds=1`);
  await watch.ready;
  const deleted = await fetchRaw(h.sandbox, "/api/v1/namespaces/doomed", { method: "DELETE", headers: bearer(h.sandbox) });
  assert.equal(deleted.status, 200);
  const body = JSON.parse(deleted.body) as { metadata: { deletionTimestamp?: string }; status: { phase: string } };
  assert.equal(body.status.phase, "Terminating");
  assert.ok(body.metadata.deletionTimestamp);
  const events = await watch.events;
  assert.deepEqual(events.map((e) => [e.type, e.object.status?.phase]), [["MODIFIED", "Terminating"], ["DELETED", "Terminating"]]);
  assert.match((await h.kubectl("get", "namespace", "doomed")).stderr, /namespaces "doomed" not found/);
  assert.match((await h.kubectl("get", "configmap", "inside", "-n", "doomed")).stderr, /not found/);
});

test("a namespace held by a finalizer stays Terminating and refuses new content with 403", async () => {
  await h.ok("create", "namespace", "held");
  await h.ok("patch", "namespace", "held", "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/hold"]}}');
  await h.ok("delete", "namespace", "held", "--wait=false");
  assert.equal(await h.ok("get", "namespace", "held", "-o", "jsonpath={.status.phase} {.status.conditions[?(@.type==\"NamespaceContentRemaining\")].reason}"), "Terminating ContentRemoved");
  const refused = await h.kubectl("create", "configmap", "late", "-n", "held");
  assert.match(refused.stderr, /configmaps "late" is forbidden: unable to create new content in namespace held because it is being terminated/);
  await h.ok("patch", "namespace", "held", "--type=merge", "-p", '{"metadata":{"finalizers":null}}');
  assert.match((await h.kubectl("get", "namespace", "held")).stderr, /not found/);
});

test("objects with finalizers are marked for deletion and go when the last finalizer is removed", async () => {
  await h.ok("create", "configmap", "guarded", "-n", "dev", "--from-literal=a=b");
  await h.ok("patch", "configmap", "guarded", "-n", "dev", "--type=merge", "-p", '{"metadata":{"finalizers":["example.com/keep"]}}');
  await h.ok("delete", "configmap", "guarded", "-n", "dev", "--wait=false");
  assert.match(await h.ok("get", "configmap", "guarded", "-n", "dev", "-o", "jsonpath={.metadata.deletionTimestamp}"), /^\d{4}-\d\d-\d\dT/);
  await h.ok("patch", "configmap", "guarded", "-n", "dev", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]');
  assert.match((await h.kubectl("get", "configmap", "guarded", "-n", "dev")).stderr, /not found/);
});

test("exec, attach and port-forward answer with a Status kubectl reports; kubectl debug adds a running ephemeral container", async () => {
  for (const [args, message] of [
    [["exec", "web-0", "-n", "shop", "--", "ls"], /cannot exec into pod shop\/web-0/],
    [["attach", "web-0", "-n", "shop"], /cannot attach to pod shop\/web-0/],
    [["port-forward", "pod/web-0", "-n", "shop", "18080:80"], /cannot port-forward to pod shop\/web-0/],
  ] as [string[], RegExp][]) {
    const r = await h.kubectl(...args);
    assert.equal(r.code, 1, args.join(" "));
    assert.match(r.stderr, message, args.join(" "));
  }
  const plain = await fetchRaw(h.sandbox, "/api/v1/namespaces/shop/pods/web-0/exec?command=ls&stdout=true", { method: "POST", headers: bearer(h.sandbox) });
  assert.equal(plain.status, 400);
  assert.equal((JSON.parse(plain.body) as { message: string }).message, "Upgrade request required");
  assert.match(await h.ok("debug", "web-0", "-n", "shop", "--image=busybox:1.36", "--container=probe"), /^$|probe/);
  assert.equal(await h.ok("get", "pod", "web-0", "-n", "shop", "-o", "jsonpath={.spec.ephemeralContainers[0].image} {.status.ephemeralContainerStatuses[0].name} {.status.ephemeralContainerStatuses[0].state.running.startedAt}").then((s) => s.replace(/\d{4}-.*Z$/, "<time>")), "busybox:1.36 probe <time>");
  const change = await fetchRaw(h.sandbox, "/api/v1/namespaces/shop/pods/web-0/ephemeralcontainers", {
    method: "PATCH",
    headers: { ...bearer(h.sandbox), "Content-Type": "application/json-patch+json" },
    body: JSON.stringify([{ op: "replace", path: "/spec/ephemeralContainers/0/image", value: "busybox:1.37" }]),
  });
  assert.equal(change.status, 422);
  assert.match(change.body, /existing ephemeral containers \\"probe\\" may not be changed/);
});
