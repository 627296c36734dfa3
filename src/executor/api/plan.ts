import { resourceOf } from "../../kube/index.js";
import type { Planned } from "./command.js";
import { parseGet, planGet } from "./get.js";
import { planLogs } from "./logs.js";
import { planRolloutHistory } from "./rollout-history.js";
import { planRolloutStatus } from "./rollout-status.js";
import { planRolloutUndo } from "./rollout-undo.js";
import { planTopNodes, planTopPods } from "./top.js";
import { planAnnotate, planCordon, planPatch, planRestart, planScale } from "./writes.js";

/** A kubectl argv the API executor runs itself. */
export interface CommandPlan {
  /** `--context` from argv, which wins over the executor's configured context. */
  context: string | undefined;
  /** Reads can be handed to kubectl after a failed attempt; writes never are (they might have happened). */
  readOnly: boolean;
  run: Planned;
}

type VerbPlanner = (args: readonly string[]) => Omit<CommandPlan, "context"> | undefined;

const VERBS: Readonly<Record<string, VerbPlanner>> = {
  get: (args) => {
    const req = parseGet(args);
    return req && { readOnly: true, run: planGet(req) };
  },
  logs: (args) => read(planLogs(args)),
  scale: (args) => write(planScale(args)),
  cordon: (args) => write(planCordon(args, true)),
  uncordon: (args) => write(planCordon(args, false)),
  annotate: (args) => write(planAnnotate(args)),
  patch: (args) => write(planPatch(args)),
  top: ([what = "", ...args]) => {
    const resource = resourceOf(what);
    return resource === "pods" ? read(planTopPods(args)) : resource === "nodes" ? read(planTopNodes(args)) : undefined;
  },
  rollout: ([sub, ...args]) =>
    sub === "restart" ? write(planRestart(args)) : sub === "status" ? read(planRolloutStatus(args)) : sub === "history" ? read(planRolloutHistory(args)) : sub === "undo" ? write(planRolloutUndo(args)) : undefined,
};

const read = (run: Planned | undefined) => run && { readOnly: true, run };
const write = (run: Planned | undefined) => run && { readOnly: false, run };

/**
 * The plan for `kubectl [--context X] VERB …` when every argument is understood, else undefined (kubectl runs
 * it). Only `--context` may precede the verb: that is where the gate puts it.
 */
export function planCommand(argv: readonly string[]): CommandPlan | undefined {
  if (argv[0] !== "kubectl") return undefined;
  let rest = argv.slice(1);
  let context: string | undefined;
  const first = rest[0];
  if (first === "--context" && rest[1] !== undefined) {
    context = rest[1];
    rest = rest.slice(2);
  } else if (first?.startsWith("--context=")) {
    context = first.slice("--context=".length);
    rest = rest.slice(1);
  }
  const [verb = "", ...args] = rest;
  const planner = Object.hasOwn(VERBS, verb) ? VERBS[verb] : undefined;
  if (!planner) return undefined;
  const planned = planner(args);
  return planned && { ...planned, context };
}
