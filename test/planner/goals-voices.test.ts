import { test } from "node:test";
import assert from "node:assert/strict";
import { bundledCardsDir, loadCardsSync } from "../../src/cards/index.js";
import { normaliseGoal, outOfScope, parseGoal, retrievalText } from "../../src/planner/goal/index.js";
import type { GoalParse } from "../../src/planner/goal/index.js";
import { dropRemarks, splitWait } from "../../src/planner/goal/clauses.js";
import { createRetriever } from "../../src/retrieval/index.js";

const retriever = await createRetriever({ cards: loadCardsSync([bundledCardsDir()]) });
const binaries: ReadonlySet<string> = new Set(["kubectl"]);
const parse = (goal: string): GoalParse => parseGoal(goal, retriever.searchLexical(retrievalText(goal), { k: 6 }), binaries);
const commandOf = (result: GoalParse) => (result.kind === "plan" ? result.plan.command : `needs_input: ${result.reason}`);

test("page and chat framing is read as framing: labels, alert names, emoji, mentions, sentence capitals", () => {
  const table: [string, string][] = [
    ["[FIRING:1] KubeNodeNotReady — describe node worker-2", "describe node worker-2"],
    ["[PagerDuty] CRITICAL: KubePodCrashLooping pod web-0 in namespace shop", "crashlooping pod web-0 in namespace shop"],
    ["ALERT KubeDeploymentReplicasMismatch: check rollout of deployment web in prod", "check rollout of deployment web in prod"],
    ["incident 4521: scale deployment web in prod to 3", "scale deployment web in prod to 3"],
    ["page ack'd. rollout history for deploy/web -n prod", "rollout history for deploy/web -n prod"],
    ["hey @oncall restart deploy/web in prod? thx 🙏", "restart deploy/web in prod"],
    [":fire: logs of pod web-0 in prod", "logs of pod web-0 in prod"],
    ["Long story short, restart deploy/web in prod", "restart deploy/web in prod"],
    ["I'm sure restart deploy/web in prod", "i sure restart deploy/web in prod"],
    ["pod web-0 NotReady", "pod web-0 notready"],
    ["ns?", "list ns"],
    ["po -n prod", "list po -n prod"],
    // Not labels: a word that only looks like one keeps its meaning, and capitals inside a sentence stay.
    ["warning events in prod", "warning events in prod"],
    ["warning: events in prod", "warning , events in prod"],
    ["p1-api restart", "p1-api restart"],
    ["[staging] restart deployment web in prod", "[staging] restart deployment web in prod"],
    ["restart deployment Web in staging", "restart deployment Web in staging"],
  ];
  for (const [goal, text] of table) assert.equal(normaliseGoal(goal).text, text, goal);
});

test("remarks are dropped only when they state something and hold nothing a request could use", () => {
  const table: [string, string, readonly string[]][] = [
    ["describe svc web in prod , lb looks off", "describe svc web in prod", ["lb looks off"]],
    ["cordon worker-3 , disk is dying", "cordon worker-3", ["disk is dying"]],
    ["rerun cronjob backup in db , it failed last night", "rerun cronjob backup in db", ["it failed last night"]],
    ["scale deployment web in prod to 2 since we are over budget", "scale deployment web in prod to 2", ["since we are over budget"]],
    // Kept: a list ("redis too"), a qualifier ("the ones that are failed"), a namespace, or no statement at all.
    ["restart deployment web , redis too", "restart deployment web , redis too", []],
    ["list pods in prod , the ones that are failed", "list pods in prod , the ones that are failed", []],
    ["list pods in prod , the broken ones", "list pods in prod , the broken ones", []],
    ["list pods in prod , the ones that crashed", "list pods in prod , the ones that crashed", []],
    ["list pods in prod , they are failing", "list pods in prod , they are failing", []],
    ["logs of pod web-0 in prod , it crashed", "logs of pod web-0 in prod , it crashed", []],
    ["undo deploy/web in prod , last release broke cart", "undo deploy/web in prod", ["last release broke cart"]],
    ["restart deployment web , pods in prod are stuck", "restart deployment web , pods in prod are stuck", []],
    ["web is down", "web is down", []],
  ];
  for (const [text, kept, remarks] of table) assert.deepEqual(dropRemarks(text), { text: kept, remarks }, text);
  // A remark that held the namespace leaves the request without one: a question, never a guess.
  assert.equal(parse("restart deployment web, staging is where it is").kind, "needs_input");
});

test("a trailing wait is split off only when it says nothing but wait (and a timeout)", () => {
  const table: [string, ReturnType<typeof splitWait>][] = [
    ["restart deploy/web in prod and wait for it", { text: "restart deploy/web in prod" }],
    ["restart sts/db in db , then wait for the rollout", { text: "restart sts/db in db" }],
    ["scale deployment web to 3 in prod and wait up to 4m", { text: "scale deployment web to 3 in prod", timeout: "4m" }],
    ["restart deploy/web in prod and wait till its done", { text: "restart deploy/web in prod" }],
    ["wait for deployment web in prod to finish", undefined],
    ["restart deploy/web in prod and wait , then scale it to 2", undefined],
    ["restart deploy/web in prod and wait for the database", undefined],
  ];
  for (const [text, expected] of table) assert.deepEqual(splitWait(text), expected, text);
});

test("restart (scale, rollback) and wait: the change, then its rollout status; other waits ask how to get both", () => {
  const plans: [string, string][] = [
    ["restart deployment web in prod and wait for it", "kubectl rollout restart deployment/web -n prod\nkubectl rollout status deployment/web -n prod --timeout=2m"],
    ["bounce sts/db in data, then wait for the rollout up to 10m", "kubectl rollout restart statefulset/db -n data\nkubectl rollout status statefulset/db -n data --timeout=10m"],
    ["restart ds fluent-bit -n logging and watch it", "kubectl rollout restart daemonset/fluent-bit -n logging\nkubectl rollout status daemonset/fluent-bit -n logging --timeout=5m"],
    // A status ask with a wait is one step: the wait is its timeout.
    ["rollout status of deployment/web in prod, wait 3 minutes", "kubectl rollout status deployment/web -n prod --timeout=3m"],
  ];
  for (const [goal, command] of plans) {
    const result = parse(goal);
    assert.equal(commandOf(result), command, goal);
    if (result.kind === "plan") assert.equal(result.plan.steps.length, 2 - (goal.startsWith("rollout status") ? 1 : 0), goal);
  }
  const cordon = parse("cordon worker-3 and wait");
  assert.equal(cordon.kind, "needs_input");
  if (cordon.kind === "needs_input") {
    assert.match(cordon.reason, /has a rollout to wait for; send the goal without the wait to run "kubectl cordon worker-3"/);
    assert.deepEqual(cordon.ask, { field: "goal", candidates: [], example: { goal: "cordon worker-3" } });
  }
  for (const goal of ["restart deployment web in prod and wait, then scale it to 2", "restart deployment web and wait", "restart web in prod and wait for it"]) {
    assert.equal(parse(goal).kind, "needs_input", `${goal} -> ${commandOf(parse(goal))}`);
  }
});

test("tool names inside object names and namespaces are objects; the tools themselves are out of scope", () => {
  const inScope = ["describe deployment argocd-server -n argocd", "pending pods in the argocd namespace", "restart ds aws-node -n kube-system", "drain worker-1 --delete-emptydir-data"];
  for (const goal of inScope) assert.equal(outOfScope(goal), undefined, goal);
  const outside = ["argocd app sync guestbook", "helm list -a", "use terraform to scale web", "docker restart redis", "restart argocd in prod", "aws eks update-kubeconfig --name prod"];
  for (const goal of outside) assert.notEqual(outOfScope(goal), undefined, goal);
  // A tool's app named in its namespace is still not mapped onto a card it does not mean.
  assert.equal(parse("sync the guestbook app in argocd").kind, "needs_input");
});
