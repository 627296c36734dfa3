import type { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { classifyError } from "../../app/errors.js";
import { execOperation, planOperation, readOperation, retrieveOperation, validateOperation } from "../../app/operations/index.js";
import type { Operation, RetrieveOutput, ValidateOutput } from "../../app/operations/index.js";
import type { RagK8s } from "../../app/runtime.js";
import type { ExecResponse } from "../../core/response.js";

function result(text: string, structured: object): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured as Record<string, unknown>, isError: false };
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
  const failure = classifyError(error);
  // An internal error's stack stays in this process; the agent gets one line.
  const message = failure.kind === "internal" ? (error instanceof Error ? error.message : String(error)) : failure.message;
  // No structuredContent: clients check it against the tool's outputSchema, which describes results, not errors.
  return { content: [{ type: "text", text: `ERROR (${failure.kind}): ${message}` }], isError: true };
}

function validationText(verdict: ValidateOutput): string {
  return [
    `${verdict.decision.toUpperCase()} (risk ${verdict.risk})`,
    ...verdict.reasons.map((r) => `- [${r.code}] ${r.message}`),
    ...verdict.suggestions.map((s) => `try: ${s}`),
    ...(verdict.next ? [verdict.next] : []),
  ].join("\n");
}

/** The tools this server offers: mcp.tools (default all), and never k8s_exec in read-only mode. */
function offered(runtime: RagK8s): (tool: string) => boolean {
  const allowed = runtime.config.mcp.tools;
  const readOnly = runtime.policy.modes.readOnly;
  return (tool) => (allowed === undefined || (allowed as readonly string[]).includes(tool)) && !(readOnly && tool === execOperation.mcp.tool);
}

/** Wraps every tool call, e.g. to track it until it settles. */
export type TrackCall = (call: Promise<CallToolResult>) => Promise<CallToolResult>;

/** Registers every operation as a tool: its input schema, annotations and handler, with text an agent follows. */
export function registerTools(server: McpServer, runtime: RagK8s, track: TrackCall = (call) => call): void {
  const offers = offered(runtime);
  const register = <I extends z.ZodObject, O extends object, D extends keyof RagK8s>(operation: Operation<I, O, D>, text: (output: O) => string) => {
    if (!offers(operation.mcp.tool)) return;
    const call = (args: z.output<I>): Promise<CallToolResult> =>
      track(
        (async () => {
          try {
            const output = await operation.run(runtime, args, {});
            return result(text(output), output);
          } catch (error) {
            return toolError(error);
          }
        })(),
      );
    // The SDK infers the callback's argument type from the schema; for a schema chosen at run time it cannot.
    const config = {
      title: operation.title,
      description: operation.description,
      inputSchema: operation.input,
      outputSchema: operation.output,
      annotations: { title: operation.title, ...operation.annotations },
    };
    server.registerTool(operation.mcp.tool, config, call as never);
  };
  register(readOperation, guidance);
  register(execOperation, guidance);
  register(planOperation, guidance);
  register(retrieveOperation, (output: RetrieveOutput) => output.context);
  register(validateOperation, validationText);
}
