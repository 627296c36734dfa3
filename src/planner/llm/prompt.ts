import type { Card } from "../../cards/index.js";
import { INTENTS } from "../../cards/vocabulary.js";
import { renderContext } from "../../retrieval/index.js";
import { countTokens, renderCatalog } from "./catalog.js";
import type { InventorySnapshot } from "../../kube/index.js";
import type { ParserPartial } from "./card-choice.js";
import { renderInventory, renderPartial } from "./inventory-text.js";
import { stableJson } from "./stable-json.js";

/** What the model is asked to plan: a free-text goal or a structured request. */
export type PlanTask = { readonly goal: string } | { readonly request: Readonly<Record<string, unknown>> };

export interface PlanPrompt {
  readonly system: string;
  readonly prompt: string;
}

const RULES = `You plan exactly one Kubernetes operation for rag-k8s. Reply with one JSON object and nothing else.

Card answers (the usual reply): choose the command card that does what the request asks and fill its parameters:
{"card": "<card id>", "<parameter>": "<value>", ...}. Every value is a string; null leaves an optional parameter out.
Use only names and namespaces listed under "Cluster" or written in the request, and the parser's values as given.
When no card can do what the request asks, reply {"card": "none"}.

Command answers (only when asked for one, because no card fits), with the fields:
- intent: one of ${INTENTS.join(", ")}.
- namespace: the namespace the command acts in; "" only for cluster-scoped resources (nodes, namespaces).
- target: the resource acted on as kind/name (e.g. deployment/web), or "" when none.
- selector: the label selector the command uses (e.g. app=web), or "".
- command: the single command line to run.
- summary: one short sentence saying what the command does.

Command rules:
1. The command runs kubectl or flux and nothing else.
2. Exactly one command. Never use shell operators or syntax: no | ; & && || > < $( ) backticks or newlines.
3. Always pass the namespace explicitly (-n <namespace>) for namespaced resources, the same as the namespace field.
4. Never ask questions. Use the command cards as templates and fill their placeholders from the request.
5. When the request is unclear, choose the read-only command that shows the most useful state.
6. Use only names, namespaces and selectors that appear in the request, the cluster listing or the cards.`;

/**
 * The fixed part of every planning prompt. It depends only on the policy (and, when given, the card catalog),
 * never on the request, so its tokens are the same for every call and a backend can keep their evaluated KV
 * cache between requests.
 */
export function buildSystemPrompt(policySummary: string, catalog = ""): string {
  const policy = policySummary.trim();
  const parts = [RULES];
  if (policy !== "") parts.push(`Policy (commands breaking it are refused):\n${policy}`);
  if (catalog.trim() !== "") parts.push(`Command cards (id (intent): command template, then an example request and its card answer):\n${catalog.trim()}`);
  return parts.join("\n\n");
}

function taskText(task: PlanTask): string {
  return "goal" in task ? `Goal: ${task.goal.trim()}` : `Request: ${stableJson(task.request)}`;
}

/** The per-request part: the retrieved card context, then the task. */
export function buildUserPrompt(context: string, task: PlanTask): string {
  return `Command cards:\n${context.trim() || "(none matched)"}\n\n${taskText(task)}`;
}

export function buildPlanPrompt(input: { policySummary: string; context: string; task: PlanTask }): PlanPrompt {
  return { system: buildSystemPrompt(input.policySummary), prompt: buildUserPrompt(input.context, input.task) };
}

export interface PlanPrompterOptions {
  readonly policySummary: string;
  readonly cards: readonly Card[];
  /** Largest catalog (cl100k tokens) that goes into the fixed prompt; beyond it, retrieved cards go per request. Default 4000. */
  readonly catalogTokenBudget?: number;
  /** Token budget for the retrieved cards when the catalog is not in the fixed prompt. Default 1200. */
  readonly contextTokenBudget?: number;
}

export interface PlanPrompter {
  /** The fixed part: rules, policy and, when it fits, every card. */
  readonly system: string;
  /** True when every card is in `system`, so a request carries only card ids and the task. */
  readonly catalogInPrefix: boolean;
  /** The prompt for a free command (the last resort), given the retrieved cards best first. */
  build(task: PlanTask, hits: readonly { readonly card: Card }[]): PlanPrompt;
  /**
   * The prompt for a card answer: the cluster's names first (the same text for every request of one inventory
   * snapshot, so it stays evaluated), then the closest cards, the parser's partial reading and the goal.
   */
  buildCardTask(goal: string, hits: readonly { readonly card: Card }[], context: CardTaskContext): PlanPrompt;
}

export interface CardTaskContext {
  readonly partial: ParserPartial;
  readonly inventory?: InventorySnapshot | undefined;
}

const COMMAND_ASK = "No card fits: reply with a command answer.";

function hint(hits: readonly { readonly card: Card }[]): string {
  const ids = hits.slice(0, PROMPT_DEFAULTS.hintCards).map((hit) => hit.card.id);
  return ids.length > 0 ? `Closest cards: ${ids.join(", ")}` : "Closest cards: (none matched)";
}

export const PROMPT_DEFAULTS = { catalogTokenBudget: 4000, contextTokenBudget: 1200, hintCards: 4 } as const;

/**
 * Plans for one policy and card set. A small card set goes whole into the fixed prompt: a backend evaluates it
 * once and then each request costs only its own few tokens (the retrieved card ids as a hint, and the task).
 * A card set over the budget falls back to the retrieved cards rendered into each request.
 */
export function createPlanPrompter(options: PlanPrompterOptions): PlanPrompter {
  const catalog = renderCatalog(options.cards);
  const catalogInPrefix = countTokens(catalog) <= (options.catalogTokenBudget ?? PROMPT_DEFAULTS.catalogTokenBudget);
  const system = buildSystemPrompt(options.policySummary, catalogInPrefix ? catalog : "");
  const contextTokenBudget = options.contextTokenBudget ?? PROMPT_DEFAULTS.contextTokenBudget;
  return {
    system,
    catalogInPrefix,
    build(task, hits) {
      if (!catalogInPrefix) return { system, prompt: `${buildUserPrompt(renderContext(hits, { tokenBudget: contextTokenBudget }).text, task)}\n${COMMAND_ASK}` };
      return { system, prompt: `${hint(hits)}\n\n${taskText(task)}\n${COMMAND_ASK}` };
    },
    buildCardTask(goal, hits, context) {
      const cluster = context.inventory ? `Cluster:\n${renderInventory(context.inventory, goal, context.partial)}` : "Cluster: not available (use names written in the request)";
      const partial = renderPartial(context.partial);
      const cards = catalogInPrefix ? hint(hits) : `Command cards:\n${renderContext(hits, { tokenBudget: contextTokenBudget }).text.trim() || "(none matched)"}`;
      return { system, prompt: [cluster, cards, `Parser: ${partial || "(nothing understood)"}`, `Goal: ${goal.trim()}`].join("\n\n") };
    },
  };
}
