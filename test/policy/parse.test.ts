import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_COMMAND_LENGTH, parseCommand, serverDryRunArgv } from "../../src/policy/index.js";
import type { ParsedCommand } from "../../src/policy/index.js";

function parse(command: string): ParsedCommand {
  const r = parseCommand(command);
  assert.ok(r.ok, `${command}: ${r.ok ? "" : r.reasons.map((x) => x.code).join(",")}`);
  return r.parsed;
}

describe("parseCommand", () => {
  it("reads verbs, compound verbs and flux kinds", () => {
    assert.equal(parse("kubectl get pods -n a").verb, "get");
    assert.equal(parse("kubectl rollout restart deploy/x -n a").verb, "rollout restart");
    assert.equal(parse("kubectl top pods -n a").verb, "top pod");
    assert.equal(parse("kubectl top no").verb, "top node");
    assert.equal(parse("kubectl create job j --from=cronjob/c -n a").verb, "create job");
    assert.equal(parse("kubectl create deployment x --image=y").verb, "create");
    assert.equal(parse("kubectl auth can-i get pods").verb, "auth can-i");
    const flux = parse("flux reconcile source git infra -n flux-system");
    assert.deepEqual([flux.binary, flux.verb, flux.resources, flux.names], ["flux", "flux reconcile", ["gitrepositories"], ["infra"]]);
  });

  it("normalises resource aliases, plurals and group-qualified forms", () => {
    const cases: [string, string][] = [
      ["deploy", "deployments"],
      ["deployments.apps", "deployments"],
      ["deployments.v1.apps", "deployments"],
      ["po", "pods"],
      ["sts", "statefulsets"],
      ["no", "nodes"],
      ["ns", "namespaces"],
      ["ev", "events"],
      ["events.events.k8s.io", "events"],
      ["cj", "cronjobs"],
      ["ks", "kustomizations"],
      ["kustomizations.kustomize.toolkit.fluxcd.io", "kustomizations"],
      ["sc", "storageclasses"],
      ["Secret", "secrets"],
      ["widgets.example.com", "widgets.example.com"],
    ];
    for (const [written, canonical] of cases) assert.deepEqual(parse(`kubectl get ${written}`).resources, [canonical], written);
    assert.deepEqual(parse("kubectl get secret,pods -n a").resources, ["secrets", "pods"]);
    const refs = parse("kubectl get deploy/a pod/b -n x").refs;
    assert.deepEqual(refs, [{ resource: "deployments", name: "a" }, { resource: "pods", name: "b" }]);
    assert.deepEqual(parse("kubectl logs deployment/web -n x").refs, [{ resource: "deployments", name: "web" }]);
  });

  it("reads every namespace spelling and -A", () => {
    for (const form of ["-n x", "-nx", "-n=x", "--namespace x", "--namespace=x"]) {
      assert.equal(parse(`kubectl get pods ${form}`).namespace, "x", form);
      assert.equal(parse(`kubectl ${form} get pods`).namespace, "x", `${form} before the verb`);
    }
    for (const form of ["-A", "--all-namespaces", "--all-namespaces=true"]) assert.equal(parse(`kubectl get pods ${form}`).allNamespaces, true, form);
    assert.equal(parse("kubectl get pods --all-namespaces=false").allNamespaces, false);
  });

  it("expands short flag groups the way pflag does", () => {
    const p = parse("kubectl get pods -Aojson -lapp=web");
    assert.equal(p.allNamespaces, true);
    assert.equal(p.output, "json");
    assert.equal(p.selector, "app=web");
    const logs = parse("kubectl logs web -pc app -n a");
    assert.deepEqual([logs.flags.get("previous"), logs.flags.get("container")], [true, "app"]);
    assert.equal(parse("kubectl get pods -An x").namespace, "x");
  });

  it("keeps every flag with its value, and the exact argv", () => {
    const p = parse("kubectl logs web -n a --tail=5 --previous -c app --timestamps=false");
    assert.deepEqual(Object.fromEntries(p.flags), { namespace: "a", tail: "5", previous: true, container: "app", timestamps: false });
    assert.deepEqual(p.argv, ["kubectl", "logs", "web", "-n", "a", "--tail=5", "--previous", "-c", "app", "--timestamps=false"]);
    assert.deepEqual(parse("kubectl annotate ks/a -n f k=v --overwrite").args, ["k=v"]);
    assert.deepEqual(parse("kubectl logs web sidecar -n a").args, ["sidecar"]);
  });

  it("reads --dry-run and -o", () => {
    assert.equal(parse("kubectl scale deploy/x -n a --replicas=1 --dry-run=server").dryRun, "server");
    assert.equal(parse("kubectl get pods -n a -o=wide").output, "wide");
  });

  it("refuses without throwing, with a reason code", () => {
    const r = parseCommand("kubectl get pods -n a -s x");
    assert.ok(!r.ok);
    assert.equal(r.reasons[0]?.code, "IDENTITY_FLAG");
    const long = parseCommand("k".repeat(MAX_COMMAND_LENGTH + 1));
    assert.ok(!long.ok && long.reasons[0]?.code === "INPUT_TOO_LONG");
    const other = parseCommand("helm list", ["helm"]);
    assert.ok(!other.ok && other.reasons[0]?.code === "UNKNOWN_VERB", "a binary the parser has no grammar for has no verbs");
  });
});

describe("serverDryRunArgv", () => {
  const dry = (command: string) => serverDryRunArgv(parse(command));
  it("appends --dry-run=server where kubectl 1.31 supports it", () => {
    assert.deepEqual(dry("kubectl scale deploy/x -n a --replicas=0"), ["kubectl", "scale", "deploy/x", "-n", "a", "--replicas=0", "--dry-run=server"]);
    for (const command of ["kubectl cordon n1", "kubectl uncordon n1", "kubectl drain n1 --ignore-daemonsets", "kubectl rollout undo deploy/x -n a", "kubectl delete job j -n a", "kubectl create job j --from=cronjob/c -n a", "kubectl annotate ks/a -n f k=v", "kubectl patch ks/a -n f --type=merge -p {}"]) {
      assert.equal(dry(command)?.at(-1), "--dry-run=server", command);
    }
  });
  it("keeps a command that already asks for it, and puts the flag before --", () => {
    assert.deepEqual(dry("kubectl cordon n1 --dry-run=server"), ["kubectl", "cordon", "n1", "--dry-run=server"]);
    assert.deepEqual(dry("kubectl cordon -- n1"), ["kubectl", "cordon", "--dry-run=server", "--", "n1"]);
  });
  it("is null for reads, flux, rollout restart and a conflicting --dry-run", () => {
    for (const command of ["kubectl get pods -n a", "flux suspend ks a -n f", "kubectl rollout restart deploy/x -n a", "kubectl cordon n1 --dry-run=client"]) {
      assert.equal(dry(command), null, command);
    }
  });
});
