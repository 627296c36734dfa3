import type { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { classifyError } from "../../app/errors.js";
import { execOperation, healthOperation, planOperation, retrieveOperation, validateOperation } from "../../app/operations/index.js";
import type { Operation, RetrieveOutput, ValidateOutput } from "../../app/operations/index.js";
import type { RagK8s } from "../../app/runtime.js";
import type { ExecAnswer } from "../../core/response.js";
import { renderHealth } from "../../health/index.js";

function result(text: string, structured: object, isError = false): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: structured as Record<string, unknown>, isError };
}

/** What the agent should do next, in words it will follow. */
function guidance(response: ExecAnswer): string {
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
  // No structuredContent: a tool's outputSchema describes its results, and clients check an error's against it too.
  const issues = (failure.issues ?? []).map((issue) => `- ${JSON.stringify(issue)}`);
  return { content: [{ type: "text", text: [`ERROR (${failure.kind}): ${message}`, ...issues].join("\n") }], isError: true };
}

function validationText(verdict: ValidateOutput): string {
  return [`${verdict.decision.toUpperCase()} (risk ${verdict.risk})`, ...verdict.reasons.map((r) => `- [${r.code}] ${r.message}`), ...verdict.suggestions.map((s) => `try: ${s}`)].join("\n");
}

/** The structured result of exec/plan: the text content already holds stdout and stderr. */
function withoutText({ stdout: _stdout, stderr: _stderr, ...rest }: ExecAnswer): object {
  return rest;
}

/** Wraps every tool call, e.g. to track it until it settles. */
export type TrackCall = (call: Promise<CallToolResult>) => Promise<CallToolResult>;

/** Registers every operation as a tool: its input schema, annotations and handler, with text an agent follows. */
export function registerTools(server: McpServer, runtime: RagK8s, track: TrackCall = (call) => call): void {
  /** `structured` leaves out what `text` already carries, so the model is sent each output once. */
  const register = <I extends z.ZodType, O extends object, D extends keyof RagK8s>(
    operation: Operation<I, O, D>,
    text: (output: O) => string,
    structured: (output: O) => object = (output) => output,
  ) => {
    const call = (args: z.output<I>): Promise<CallToolResult> =>
      track(
        (async () => {
          try {
            const output = await operation.run(runtime, args, {});
            return result(text(output), structured(output));
          } catch (error) {
            return toolError(error);
          }
        })(),
      );
    // The SDK infers the callback's argument type from the schema; for a schema chosen at run time it cannot.
    const config = { title: operation.title, description: operation.description, inputSchema: operation.input, outputSchema: operation.output, annotations: operation.annotations };
    server.registerTool(operation.mcp.tool, config, call as never);
  };
  register(execOperation, guidance, withoutText);
  register(planOperation, guidance, withoutText);
  register(retrieveOperation, (output: RetrieveOutput) => output.context ?? "", ({ context: _context, ...rest }: RetrieveOutput) => rest);
  register(validateOperation, validationText);
  register(healthOperation, renderHealth);
}
