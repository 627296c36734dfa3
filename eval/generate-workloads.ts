/**
 * Writes eval/workloads.jsonl from eval/workloads.fixture.yaml: for every workload, five structured
 * requests (restart, rollout status, logs of the newest ready pod, describe + recent events, scale) with
 * the exact command and the decision expected.
 *
 * The expectations are written out here, independently of the system under test: the command shapes are
 * spelled by hand, the decisions come from the small table below (read off policy/namespaces.yaml and
 * policy/rules.yaml by a person), and the newest ready pod and the pod selector are computed from the
 * fixture's own data. Nothing here calls the planner, the cards or the policy engine.
 *
 *   node --import tsx eval/generate-workloads.ts            # rewrite eval/workloads.jsonl
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

type Kind = "deployment" | "statefulset" | "daemonset";
type Operation = "restart" | "status" | "logs" | "events" | "scale";
type Decision = "allow" | "confirm" | "deny";

/**
 * Per namespace: prod and kube-system confirm every change and do not allow scale; staging and dev allow a
 * low-risk restart and confirm a medium-risk scale; namespaces the policy does not name (team-a) get the
 * conservative profile, where every change needs confirmation. Reads are allowed everywhere.
 */
const DECISIONS: Readonly<Record<string, Readonly<Record<Operation, Decision>>>> = {
  prod: { restart: "confirm", status: "allow", logs: "allow", events: "allow", scale: "deny" },
  "kube-system": { restart: "confirm", status: "allow", logs: "allow", events: "allow", scale: "deny" },
  staging: { restart: "allow", status: "allow", logs: "allow", events: "allow", scale: "confirm" },
  dev: { restart: "allow", status: "allow", logs: "allow", events: "allow", scale: "confirm" },
  "team-a": { restart: "confirm", status: "allow", logs: "allow", events: "allow", scale: "confirm" },
};

/** What a plan request reports for each decision (nothing is confirmed in the eval). */
const STATUS: Readonly<Record<Decision, string>> = { allow: "planned", confirm: "awaiting_confirmation", deny: "denied" };

const KINDS: Readonly<Record<string, Kind>> = { Deployment: "deployment", StatefulSet: "statefulset", DaemonSet: "daemonset" };

const TIMEOUT = "3m";
const TAIL = 100;

interface Meta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
}
interface FixtureObject {
  kind: string;
  metadata: Meta;
  spec?: { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  status?: { conditions?: { type: string; status: string }[] };
}

interface Workload {
  readonly kind: Kind;
  readonly namespace: string;
  readonly name: string;
  readonly replicas: number;
  readonly matchLabels: Readonly<Record<string, string>>;
}

export interface WorkloadCase {
  readonly id: string;
  readonly request: Record<string, unknown>;
  readonly expect: Record<string, string>;
}

/** Minutes before the seed time: the fixture writes every age as "-<n>m". */
function ageMinutes(pod: FixtureObject): number {
  const match = /^-(\d+)m$/.exec(pod.metadata.creationTimestamp ?? "");
  if (!match) throw new Error(`pod ${pod.metadata.name}: creationTimestamp must be written as -<minutes>m`);
  return Number(match[1]);
}

function matches(pod: FixtureObject, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(labels).every(([key, value]) => pod.metadata.labels?.[key] === value);
}

/** Ready, not being deleted, youngest; equal ages go to the name that sorts first. */
function newestReadyPod(workload: Workload, pods: readonly FixtureObject[]): string | null {
  const candidates = pods.filter(
    (p) =>
      p.metadata.namespace === workload.namespace &&
      matches(p, workload.matchLabels) &&
      p.metadata.deletionTimestamp === undefined &&
      (p.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True"),
  );
  candidates.sort((a, b) => ageMinutes(a) - ageMinutes(b) || (a.metadata.name < b.metadata.name ? -1 : 1));
  return candidates[0]?.metadata.name ?? null;
}

function selector(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(",");
}

function expectation(decision: Decision, command: string): Record<string, string> {
  return { command, decision, status: STATUS[decision] };
}

function casesFor(w: Workload, pods: readonly FixtureObject[]): WorkloadCase[] {
  const decisions = DECISIONS[w.namespace];
  if (!decisions) throw new Error(`no expected decisions for namespace ${w.namespace}; add it to DECISIONS`);
  const target = { resource: w.kind, namespace: w.namespace, name: w.name };
  const id = (op: string) => `${w.namespace}/${w.kind}/${w.name}/${op}`;
  const cases: WorkloadCase[] = [
    {
      id: id("restart"),
      request: { intent: "restart", ...target },
      expect: expectation(decisions.restart, `kubectl rollout restart ${w.kind}/${w.name} -n ${w.namespace}`),
    },
    {
      id: id("rollout-status"),
      request: { intent: "status", ...target, params: { timeout: TIMEOUT } },
      expect: expectation(decisions.status, `kubectl rollout status ${w.kind}/${w.name} -n ${w.namespace} --timeout=${TIMEOUT}`),
    },
  ];
  const pod = newestReadyPod(w, pods);
  cases.push({
    id: id("logs-newest-ready"),
    request: { intent: "logs", ...target, params: { tail: TAIL } },
    // No ready pod: nothing to read, and the answer says so (it asks for a pod instead).
    expect: pod === null ? { status: "needs_input" } : expectation(decisions.logs, `kubectl logs ${pod} -n ${w.namespace} --tail=${TAIL}`),
  });
  cases.push({
    id: id("describe-events"),
    request: { intent: "events", ...target },
    expect: expectation(decisions.events, `kubectl describe ${w.kind} ${w.name} -n ${w.namespace}\nkubectl describe pods -n ${w.namespace} -l ${selector(w.matchLabels)}`),
  });
  const replicas = w.replicas + 1;
  cases.push({
    id: id("scale"),
    request: { intent: "scale", ...target, params: { replicas } },
    // A daemonset runs one pod per node; it has no replica count, so the request itself is refused.
    expect:
      w.kind === "daemonset"
        ? { error: 'no card does "scale" on daemonset' }
        : expectation(decisions.scale, `kubectl scale ${w.kind}/${w.name} -n ${w.namespace} --replicas=${replicas}`),
  });
  return cases;
}

/** The eval set for a fixture, one JSON case per line. */
export function workloadEvalSet(fixtureText: string): string {
  const doc = parse(fixtureText, { merge: true }) as { objects?: FixtureObject[] };
  const objects = doc.objects ?? [];
  const pods = objects.filter((o) => o.kind === "Pod");
  const workloads: Workload[] = objects.flatMap((o): Workload[] => {
    const kind = KINDS[o.kind];
    if (!kind) return [];
    const matchLabels = o.spec?.selector?.matchLabels;
    if (!matchLabels || !o.metadata.namespace) throw new Error(`${o.kind} ${o.metadata.name}: needs a namespace and spec.selector.matchLabels`);
    return [{ kind, namespace: o.metadata.namespace, name: o.metadata.name, replicas: o.spec?.replicas ?? 1, matchLabels }];
  });
  return `${workloads.flatMap((w) => casesFor(w, pods).map((c) => JSON.stringify(c))).join("\n")}\n`;
}

export const FIXTURE_PATH = join(dirname(fileURLToPath(import.meta.url)), "workloads.fixture.yaml");
export const SET_PATH = join(dirname(fileURLToPath(import.meta.url)), "workloads.jsonl");

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SET_PATH, workloadEvalSet(readFileSync(FIXTURE_PATH, "utf8")));
  process.stdout.write(`wrote ${SET_PATH}\n`);
}
