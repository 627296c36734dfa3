import { INTENTS } from "../../cards/vocabulary.js";
import { stableJson } from "./stable-json.js";

/** What the model is asked to plan: a free-text goal or a structured request. */
export type PlanTask = { readonly goal: string } | { readonly request: Readonly<Record<string, unknown>> };

export interface PlanPrompt {
  readonly system: string;
  readonly prompt: string;
}

const RULES = `You plan exactly one Kubernetes operation for rag-k8s. Reply with one JSON object and nothing else.

Fields:
- intent: one of ${INTENTS.join(", ")}.
- namespace: the namespace the command acts in; "" only for cluster-scoped resources (nodes, namespaces).
- target: the resource acted on as kind/name (e.g. deployment/web), or "" when none.
- selector: the label selector the command uses (e.g. app=web), or "".
- command: the single command line to run.
- summary: one short sentence saying what the command does.

Rules:
1. The command runs kubectl or flux and nothing else.
2. Exactly one command. Never use shell operators or syntax: no | ; & && || > < $( ) backticks or newlines.
3. Always pass the namespace explicitly (-n <namespace>) for namespaced resources, the same as the namespace field.
4. Never ask questions. Use the command cards below as templates and fill their placeholders from the request.
5. When the request is unclear, choose the read-only command that shows the most useful state.
6. Use only names, namespaces and selectors that appear in the request or the cards.`;

/**
 * The fixed part of every planning prompt. It depends only on the policy, never on the request, so its
 * tokens are the same for every call and a backend can keep their evaluated KV cache between requests.
 */
export function buildSystemPrompt(policySummary: string): string {
  const policy = policySummary.trim();
  return policy === "" ? RULES : `${RULES}\n\nPolicy (commands breaking it are refused):\n${policy}`;
}

/** The per-request part: the retrieved card context, then the task. */
export function buildUserPrompt(context: string, task: PlanTask): string {
  const taskText = "goal" in task ? `Goal: ${task.goal.trim()}` : `Request: ${stableJson(task.request)}`;
  return `Command cards:\n${context.trim() || "(none matched)"}\n\n${taskText}`;
}

export function buildPlanPrompt(input: { policySummary: string; context: string; task: PlanTask }): PlanPrompt {
  return { system: buildSystemPrompt(input.policySummary), prompt: buildUserPrompt(input.context, input.task) };
}
