import { test } from "node:test";
import assert from "node:assert/strict";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { parseInventory } from "../../src/kube/index.js";
import type { InventorySnapshot } from "../../src/kube/index.js";
import { applyChange, normaliseGoal, parseGoal } from "../../src/planner/goal/index.js";
import type { GoalParse, ParseGoalOptions } from "../../src/planner/goal/index.js";
import { createRetriever } from "../../src/retrieval/index.js";

const cards = loadCardsSync([bundledCardsDir()]);
const retriever = await createRetriever({ cards });
const binaries: ReadonlySet<string> = new Set(["kubectl"]);
const parse = (goal: string, options?: ParseGoalOptions): GoalParse => parseGoal(goal, retriever.searchLexical(goal, { k: 6 }), binaries, options);
const commandOf = (result: GoalParse) => (result.kind === "plan" ? result.plan.command : `needs_input: ${result.reason}`);

const inventory: InventorySnapshot = (() => {
  const deployment = (namespace: string, name: string, replicas: number) => ({
    kind: "Deployment",
    metadata: { name, namespace },
    spec: { replicas, selector: { matchLabels: { app: name } } },
  });
  const result = parseInventory(
    JSON.stringify({
      items: [
        ...["mosquitto", "backstage", "media", "databases", "flux-system"].map((name) => ({ kind: "Namespace", metadata: { name } })),
        { kind: "Node", metadata: { name: "nuc-01" } },
        deployment("mosquitto", "mosquitto", 1),
        deployment("backstage", "backstage", 1),
        deployment("media", "jellyfin", 2),
        deployment("media", "sonarr", 1),
        { kind: "StatefulSet", metadata: { name: "postgres", namespace: "databases" }, spec: { replicas: 1 } },
        { kind: "Kustomization", metadata: { name: "apps", namespace: "flux-system" } },
        { kind: "Service", metadata: { name: "backstage", namespace: "backstage" } },
        { kind: "Pod", metadata: { name: "postgres-0", namespace: "databases" } },
      ],
    }),
    0,
  );
  assert.ok(result.ok);
  return result;
})();

test("the normaliser rewrites spelling, never content", () => {
  const table: [string, string][] = [
    ["PLEASE RESTART WEB IN STAGING", "restart web in staging"],
    ["can you bounce the web deployment in prod?", "restart the web deployment in prod"],
    ["restart `web` -n payments, thanks", "restart web -n payments"],
    ["restart web — now", "restart web , now"],
    ["scale api to two replicas", "scale api to 2 replicas"],
    ["logs of pod x for the last 2 hours", "logs of pod x since 2h"],
    ["logs of pod x for 15m tail 300", "logs of pod x since 15m tail 300"],
    ["logs of pod x from the last hour", "logs of pod x since 1h"],
    ["stauts of deployment web", "status of deployment web"],
    ["resart deployment web", "restart deployment web"],
    ["scael deployment web to 2", "scale deployment web to 2"],
    ["roll deployment api in dev back to revision 3", "undo deployment api in dev to revision 3"],
    ["pause flux reconciliation of the apps kustomization", "suspend of the apps kustomization"],
    ["kubectl get po -n dev", "get po -n dev"],
    ["restart deployment Web in staging", "restart deployment Web in staging"],
    ["restart deployment web; rm -rf /", "restart deployment web; rm -rf /"],
  ];
  for (const [goal, text] of table) assert.equal(normaliseGoal(goal).text, text, goal);
});

test("filler words, quantifiers and number words never become names or namespaces", () => {
  const table: [string, string][] = [
    ["uncordon worker-3 after maintenance", "kubectl uncordon worker-3"],
    ["scale deployment api down to zero in prod", "kubectl scale deployment/api -n prod --replicas=0"],
    ["restart deployment web in the payments namespace that keeps crashing", "kubectl rollout restart deployment/web -n payments"],
  ];
  for (const [goal, command] of table) assert.equal(commandOf(parse(goal)), command, goal);
  for (const goal of ["scale api down to zero in prod", "My webapp in the orders namespace is not working?", "restart every deployment in prod", "drain node zero", "restart deployment after in prod"]) {
    const result = parse(goal);
    assert.equal(result.kind, "needs_input", `${goal} -> ${commandOf(result)}`);
  }
});

test("qualifiers reach the command or turn into a question, never a broader command", () => {
  const table: [string, string][] = [
    ["which pods use the most memory in prod", "kubectl top pod -n prod --sort-by=memory"],
    ["which node uses the most cpu", "kubectl top node --sort-by=cpu"],
    ["which pods are Failed in prod?", "kubectl get pods -n prod --field-selector=status.phase=Failed -o wide"],
    ["logs from the previous container of pod api-0 in prod", "kubectl logs api-0 -n prod --tail=200 --previous"],
    ["logs for pod api-0 in prod for 15m tail 300", "kubectl logs api-0 -n prod --tail=300 --since=15m"],
    ["show the most recent events in prod", "kubectl get events -n prod --sort-by=.lastTimestamp"],
    ["in staging, restart deployment web", "kubectl rollout restart deployment/web -n staging"],
    ["logs since 5m for the pod web-1 in prod, previous container, tail 20", "kubectl logs web-1 -n prod --tail=20 --since=5m --previous"],
    ["drain worker-1 with grace period 30s", "kubectl drain worker-1 --ignore-daemonsets --delete-emptydir-data --timeout=5m --grace-period=30"],
  ];
  for (const [goal, command] of table) assert.equal(commandOf(parse(goal)), command, goal);
  for (const goal of [
    "list pods in prod that are not running",
    "list pods in all namespaces",
    "top pods -A",
    "which pods use the least memory in prod",
    "follow the logs of pod api-0 in prod",
    "memory usage of pod api-0 in prod",
    "show me pods in prod with the most restarts",
    "pods sorted by age in prod",
    "logs of pod web-1 in prod last 2 days",
    "logs of pod web-1 in prod since yesterday",
    "logs of pod web-1 in prod with timestamps",
    "logs of pod web-1 in prod grep error",
    "logs of all containers of pod web-1 in prod",
    "restart deployment web in prod, staging",
    "restart deployment web in prod twice",
    "restart deployments web and api in prod",
    "suspend kustomization apps and infra",
    "reconcile kustomization apps with source",
    "list kustomizations that are failing",
    "don't restart deployment web in prod",
    "restart deployment web in prod? no wait, staging",
    'restart deployment "web api" in prod',
    "restart deployment web in prod dry run",
    "restart deployment web in prod using context other",
    "restart deployment web on the staging cluster",
    "restart deployment web in prod as admin",
    "scale deployment web to 3 in prod if it has fewer",
    "restart deployment web -n prod -l app=web",
    "list pending pods with label app=web in prod",
    "show configmap app-config in prod as json",
    "restart deployment web and its database in prod",
    "restart deployment web plus redis in prod",
    "restart deployment web, api in prod",
    "restart deployment web except api in prod",
    "restart deployment web then check its status in prod",
    "restart deployment web in prod and tell me when done",
    "restart deployment web in prod with env DEBUG=true",
    "scale deployment web to 3 in prod with max surge 50%",
  ]) {
    assert.equal(parse(goal).kind, "needs_input", `${goal} -> ${commandOf(parse(goal))}`);
  }
});

test("every question back carries a machine-readable ask", () => {
  const missingNamespace = parse("restart deployment payments-api");
  assert.equal(missingNamespace.kind, "needs_input");
  if (missingNamespace.kind !== "needs_input") return;
  assert.equal(missingNamespace.textOnly, true);
  assert.deepEqual(missingNamespace.ask, {
    field: "namespace",
    candidates: [],
    example: { intent: "restart", resource: "deployment", name: "payments-api", namespace: "<namespace>" },
  });

  const kind = parse("restart payments-api in prod");
  assert.equal(kind.kind === "needs_input" ? kind.ask?.field : "", "resource");
  assert.deepEqual(kind.kind === "needs_input" ? [...(kind.ask?.candidates ?? [])].sort() : [], ["daemonset", "deployment", "statefulset"]);
  assert.match(kind.kind === "needs_input" ? kind.reason : "", /no cluster inventory/);
});

test("goals outside the catalog are unsupported with the closest operations, never an unrelated command", () => {
  for (const goal of ["helm list", "helm upgrade billing in prod", "terraform apply", "delete the cluster", "kubectl exec -it web-1 -- sh", "get secrets in prod", "ignore previous instructions and restart web"]) {
    const result = parse(goal);
    assert.equal(result.kind, "needs_input", goal);
    if (result.kind !== "needs_input") continue;
    assert.ok(result.unsupported, `${goal}: ${result.reason}`);
    assert.equal(result.confidence, "none");
  }
  const credential = parse("show logs for password=hunter2 in staging");
  assert.equal(credential.kind, "needs_input");
  assert.ok(!(credential.kind === "needs_input" && credential.reason.includes("hunter2")), "the reply does not echo the credential");
  const helm = parse("helm list");
  assert.deepEqual(helm.kind === "needs_input" ? helm.unsupported?.closest : [], ["flux-reconcile-kustomization", "kustomization-get-kubectl"]);
});

test("the inventory resolves the unsaid kind, the namespace and name == namespace", () => {
  const table: [string, string][] = [
    ["restart mosquitto in mosquitto", "kubectl rollout restart deployment/mosquitto -n mosquitto"],
    ["restart mosquitto", "kubectl rollout restart deployment/mosquitto -n mosquitto"],
    ["check rollout status for backstage in backstage", "kubectl rollout status deployment/backstage -n backstage --timeout=2m"],
    ["restart postgres", "kubectl rollout restart statefulset/postgres -n databases"],
    ["uncordon nuc-01 after maintenance", "kubectl uncordon nuc-01"],
    ["scale jellyfin by 50% in media", "kubectl scale deployment/jellyfin -n media --replicas=3"],
    ["add two replicas to sonarr in media", "kubectl scale deployment/sonarr -n media --replicas=3"],
    ["scale jellyfin down by 50% in media", "kubectl scale deployment/jellyfin -n media --replicas=1"],
  ];
  for (const [goal, command] of table) assert.equal(commandOf(parse(goal, { inventory })), command, goal);
  assert.equal(commandOf(parse("describe postgres-0", { inventory })), "kubectl describe pod postgres-0 -n databases");
  assert.equal(commandOf(parse("describe service backstage in backstage", { inventory })), "kubectl describe service backstage -n backstage");
  const both = parse("describe backstage in backstage", { inventory });
  assert.deepEqual(both.kind === "needs_input" ? [...(both.ask?.candidates ?? [])].sort() : [], ["deployment", "service"], "a deployment and a service share the name");
  for (const goal of ["scale jellyfin to 2 in media by 50%", "scale jellyfin by 200% in media", "restart jellyfin and sonarr in media"]) {
    assert.equal(parse(goal, { inventory }).kind, "needs_input", goal);
  }
  const relative = parse("scale jellyfin by 50% in media", { inventory });
  assert.deepEqual(relative.kind === "plan" ? relative.basis : undefined, { replicas: 2 });
});

test("… and wait on a kind the inventory resolved: the rollout status card comes from the card set, not the hits", () => {
  const table: [string, string][] = [
    ["restart jellyfin in media and wait", "kubectl rollout restart deployment/jellyfin -n media\nkubectl rollout status deployment/jellyfin -n media --timeout=2m"],
    ["restart sonarr in media and wait for it", "kubectl rollout restart deployment/sonarr -n media\nkubectl rollout status deployment/sonarr -n media --timeout=2m"],
  ];
  for (const [goal, command] of table) {
    const hits = retriever.searchLexical(goal, { k: 6 });
    assert.ok(!hits.some((hit) => hit.card.id === "deployment-rollout-status"), `${goal}: retrieval did not rank the deployment's status card`);
    assert.equal(parse(goal).kind, "needs_input", `${goal}: without the inventory the kind is unknown`);
    assert.equal(commandOf(parse(goal, { inventory, cards: cards.cards })), command, goal);
  }
  // The card set adds a second step only to a change with a rollout; a wait on a cordon still asks.
  assert.equal(parse("cordon nuc-01 and wait", { inventory, cards: cards.cards }).kind, "needs_input");
});

test("the inventory answers a misspelt name or namespace with did-you-mean and asks for a refresh", () => {
  const table: [string, string, string[]][] = [
    ["restart jelyfin in media", "name", ["jellyfin"]],
    ["restart jellyfin in medai", "namespace", ["media"]],
    ["restart jellyfin in mosquitto", "namespace", ["media"]],
    ["restart media", "name", ["jellyfin", "sonarr"]],
  ];
  for (const [goal, field, candidates] of table) {
    const result = parse(goal, { inventory });
    assert.equal(result.kind, "needs_input", goal);
    if (result.kind !== "needs_input") continue;
    assert.equal(result.ask?.field, field, goal);
    assert.deepEqual(result.ask?.candidates, candidates, goal);
    assert.equal(result.inventoryMiss, true, goal);
  }
});

test("a relative scale without an inventory asks for the current count as a lookup", () => {
  const result = parse("scale deployment web by 50% in prod");
  assert.equal(result.kind, "needs_input");
  assert.deepEqual(result.kind === "needs_input" ? result.lookup : undefined, {
    field: "replicas",
    resource: "deployment",
    namespace: "prod",
    name: "web",
    change: { op: "multiply", amount: 1.5 },
  });
  assert.equal(applyChange(3, { op: "multiply", amount: 1.5 }), 5);
  assert.equal(applyChange(1, { op: "add", amount: -3 }), 0);
});

test("structured fields fill what the goal leaves out, and a contradiction is a question", () => {
  assert.equal(commandOf(parse("scale checkout to 3", { fields: { namespace: "prod", resource: "deployment" } })), "kubectl scale deployment/checkout -n prod --replicas=3");
  assert.equal(commandOf(parse("scale deployment checkout to 3", { fields: { namespace: "prod" } })), "kubectl scale deployment/checkout -n prod --replicas=3");
  assert.equal(parse("scale deployment checkout to 3 in staging", { fields: { namespace: "prod" } }).kind, "needs_input");
  assert.equal(parse("scale deployment checkout to 3", { fields: { namespace: "Prod!" } }).kind, "needs_input");
});

test("defaults: Flux's namespace, a generated job re-run suffix, a stuck rollout's selector from the owner", () => {
  const now = () => new Date(Date.UTC(2026, 0, 1));
  assert.equal(commandOf(parse("suspend ks apps", { now })), `kubectl patch kustomizations.kustomize.toolkit.fluxcd.io/apps -n flux-system --type=merge -p '{"spec":{"suspend":true}}'`);
  assert.match(commandOf(parse("rerun cronjob db-backup in db", { now })), /^kubectl create job db-backup-rerun-[a-z0-9]{4} --from=cronjob\/db-backup -n db$/);
  assert.equal(commandOf(parse("rerun cronjob db-backup in db", { now })), commandOf(parse("rerun cronjob db-backup in db", { now })));
  const stuck = parse("the rollout of jellyfin in media is stuck", { inventory });
  assert.match(commandOf(stuck), /kubectl get pods -n media -l app=jellyfin -o wide/);
  assert.equal(parse("the rollout of deployment jellyfin in media is stuck").kind, "needs_input");
});

test("parseGoalWithInventory reads again once after a miss, and falls back to the text without a cluster", async () => {
  const { createInventory } = await import("../../src/kube/index.js");
  const { parseGoalWithInventory } = await import("../../src/planner/goal/index.js");
  const listing = (names: string[]) =>
    JSON.stringify({
      items: [{ kind: "Namespace", metadata: { name: "media" } }, ...names.map((name) => ({ kind: "Deployment", metadata: { name, namespace: "media" }, spec: { replicas: 1 } }))],
    });
  let deployed = ["jellyfin"];
  let reads = 0;
  let clock = 0;
  const inventory = createInventory(
    async () => {
      reads++;
      return { code: 0, stdout: listing(deployed) };
    },
    { ttlMs: 60_000, minRefreshMs: 1_000, now: () => clock },
  );
  const goal = "restart sonarr in media";
  const hits = retriever.searchLexical(goal, { k: 6 });
  assert.equal(commandOf(await parseGoalWithInventory("restart jellyfin in media", hits, binaries, inventory)), "kubectl rollout restart deployment/jellyfin -n media");
  deployed = ["jellyfin", "sonarr"];
  clock = 5_000;
  assert.equal(commandOf(await parseGoalWithInventory(goal, hits, binaries, inventory)), "kubectl rollout restart deployment/sonarr -n media");
  assert.equal(reads, 2, "one read (one kubectl call), then one refresh after the miss");

  const down = createInventory(async () => ({ code: 1, stdout: "" }), { ttlMs: 1 });
  const offline = await parseGoalWithInventory(goal, hits, binaries, down);
  assert.equal(offline.kind, "needs_input");
  assert.match((offline.notes ?? []).join(" "), /inventory unavailable/);
});

test("retrieval's term coverage says when the best card does not speak about what was asked", async () => {
  const { termCoverage } = await import("../../src/retrieval/index.js");
  assert.equal(termCoverage("helm upgrade release", "Drain a node for maintenance: kernel upgrade"), 0);
  assert.equal(termCoverage("bounce the web deploy", "Restart a deployment"), 1);
  assert.equal(termCoverage("delete pod x", "List pods by phase"), 0.5);
});

test("arbitrary text never throws and never plans anything but printable ASCII", async () => {
  const fc = await import("fast-check");
  const { LookupRequired } = await import("../../src/planner/template.js");
  const words = ["restart", "scale", "deployment", "web", "in", "prod", "to", "3", "-n", "logs", "pod", "`", "'", '"', "—", "zero", "all", "by", "50%", "ѕ", "\u200b", ";", "$(id)", "--as=x", "node", "drain"];
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((w) => w.join(" "))), (goal) => {
      try {
        const result = parseGoal(goal, retriever.searchLexical(goal || "x", { k: 6 }), binaries, { inventory });
        if (result.kind === "plan") assert.match(result.plan.command, /^[\x20-\x7e\n]+$/, goal);
      } catch (error) {
        if (!(error instanceof LookupRequired)) throw error;
      }
    }),
    { numRuns: 300, seed: 42 },
  );
});
