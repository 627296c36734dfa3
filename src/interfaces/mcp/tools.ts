import { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { INTENTS, RESOURCES } from "../../cards/vocabulary.js";
import { ExecRequestSchema } from "../../core/request.js";
import type { ExecResponse } from "../../core/response.js";
import type { RagK8s } from "../../core/runtime.js";

function result(text: string, structured: object, isError = false): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured as Record<string, unknown>, isError };
}

/** What the agent should do next, in words it will follow. */
function guidance(response: ExecResponse): string {
  const plan = response.plan;
  const commands = plan ? plan.commands.map((c) => `  $ ${c}`).join("\n") : "";
  switch (response.status) {
    case "awaiting_confirmation":
      return [
        `NEEDS USER APPROVAL (risk: ${response.risk}). Nothing was run.`,
        `Planned: ${plan?.summary ?? ""}`,
        commands,
        "Show this to the user and ask whether to proceed. Only if the user explicitly approves, call k8s_exec again",
        `with the same arguments and constraints.confirm = true, constraints.confirmToken = "${response.confirmToken ?? ""}"`,
        "(the token makes sure what runs is what the user approved). Never set confirm = true without asking.",
      ].join("\n");
    case "denied":
      return [
        `DENIED by policy. Nothing was run.`,
        ...(response.validation?.reasons.map((r) => `- ${r}`) ?? []),
        ...(response.validation?.suggestions.length ? ["Safer alternatives:", ...response.validation.suggestions.map((s) => `  ${s}`)] : []),
      ].join("\n");
    case "needs_input":
      return [
        `NEEDS INPUT: ${response.message}`,
        `Missing: ${response.missing?.join(", ") ?? ""}`,
        ...(response.candidates?.map((c) => `- ${c.cardId} (${c.intent} ${c.resource})${c.missing.length ? `: needs ${c.missing.join(", ")}` : ""}`) ?? []),
        "Ask the user for what is missing, or call again with intent/resource/namespace/name filled in.",
      ].join("\n");
    default:
      return [
        `${response.status.toUpperCase()}: ${response.message}`,
        commands,
        response.stdout ? `stdout:\n${response.stdout}` : "",
        response.stderr ? `stderr:\n${response.stderr}` : "",
      ]
        .filter(Boolean)
        .join("\n");
  }
}

function toolError(error: unknown): CallToolResult {
  const issues = error && typeof error === "object" && "issues" in error ? (error as { issues: unknown }).issues : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return result(`ERROR: ${message}`, { error: message, ...(issues ? { issues } : {}) }, true);
}

/** Wraps every tool call, e.g. to track it until it settles. */
export type TrackCall = (call: Promise<CallToolResult>) => Promise<CallToolResult>;

export function registerTools(server: McpServer, runtime: RagK8s, track: TrackCall = (call) => call): void {
  const guard = (work: () => Promise<CallToolResult> | CallToolResult): Promise<CallToolResult> =>
    track(
      (async () => {
        try {
          return await work();
        } catch (error) {
          return toolError(error);
        }
      })(),
    );
  server.registerTool(
    "k8s_exec",
    {
      title: "Run a Kubernetes operation",
      description:
        "Plan, validate against policy and run one kubectl/flux operation. Give either intent+resource(+namespace, name, selector, params) " +
        "or a free-text goal. Risky operations return status awaiting_confirmation and a confirmToken: ask the user, then call again with constraints.confirm=true and that confirmToken. " +
        "constraints.dryRun=true runs a server-side dry run that changes nothing.",
      inputSchema: ExecRequestSchema,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    (args) => guard(async () => {
      const response = await runtime.exec(args);
      return result(guidance(response), response);
    }),
  );
  server.registerTool(
    "k8s_plan",
    {
      title: "Plan a Kubernetes operation without running it",
      description: "Same input as k8s_exec; returns the planned commands, the policy decision and the risk. Runs nothing.",
      inputSchema: ExecRequestSchema,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) => guard(async () => {
      const response = await runtime.plan(args);
      return result(guidance(response), response);
    }),
  );
  server.registerTool(
    "k8s_search",
    {
      title: "Search command cards",
      description: "Find the runbook cards (command templates, risk, examples, notes) relevant to a question.",
      inputSchema: z.object({
        query: z.string().min(1).max(2000).describe("what you want to do or find out"),
        intent: z.enum(INTENTS).optional(),
        resource: z.enum(RESOURCES).optional(),
        k: z.number().int().min(1).max(20).optional(),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) => guard(async () => {
      const hits = await runtime.retrieve(args.query, {
        ...(args.intent ? { intent: args.intent } : {}),
        ...(args.resource ? { resource: args.resource } : {}),
        ...(args.k ? { k: args.k } : {}),
      });
      const context = runtime.context(hits);
      return result(context.text, { cards: hits.map((h) => ({ id: h.card.id, title: h.card.title, intent: h.card.intent, resource: h.card.resource, risk: h.card.risk_level, score: h.score })) });
    }),
  );
  server.registerTool(
    "k8s_validate",
    {
      title: "Check a command against policy",
      description: "Parse a kubectl/flux command and return allow/confirm/deny with risk, reasons and safer suggestions. Runs nothing.",
      inputSchema: z.object({
        command: z.string().min(1).max(65_536).describe("the full command, e.g. kubectl rollout restart deployment/web -n prod"),
        namespace: z.string().max(63).optional().describe("the namespace the command must target"),
      }),
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    (args) => guard(() => {
      const { parsed: _parsed, ...verdict } = runtime.validate(args.command, args.namespace ? { namespace: args.namespace } : {});
      const text = [`${verdict.decision.toUpperCase()} (risk ${verdict.risk})`, ...verdict.reasons.map((r) => `- [${r.code}] ${r.message}`), ...verdict.suggestions.map((s) => `try: ${s}`)].join("\n");
      return result(text, verdict);
    }),
  );
}
