import type { z } from "zod";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { IdempotencyKeySchema, requestDigest } from "../../approval/index.js";
import type { IdempotencyStore } from "../../approval/index.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { classifyError } from "../../app/errors.js";
import { execOperation, healthOperation, planOperation, readOperation, retrieveOperation, validateOperation } from "../../app/operations/index.js";
import type { Operation, ReadAnswer, ValidateOutput } from "../../app/operations/index.js";
import type { RagK8s } from "../../app/runtime.js";
import type { ExecRequestInput } from "../../core/request.js";
import type { ExecAnswer } from "../../core/response.js";
import { stripTerminalEscapes } from "../../executor/index.js";
import { renderHealth } from "../../health/index.js";

/**
 * Both channels hold the whole answer: some clients hand their model only structuredContent when it is present
 * (Claude Code: anthropics/claude-code#55677, #79944), others only the text. Each holds every output once.
 */
function result(text: string, structured: object, isError = false): CallToolResult {
  // Pod logs and object fields may carry escape sequences (OSC 52 clipboard writes, cursor moves): never passed on.
  return { content: [{ type: "text", text: stripTerminalEscapes(text) }], structuredContent: withoutEscapes(structured) as Record<string, unknown>, isError };
}

function withoutEscapes(value: unknown): unknown {
  if (typeof value === "string") return stripTerminalEscapes(value);
  if (Array.isArray(value)) return value.map(withoutEscapes);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutEscapes(v)]));
  return value;
}

/** What the agent should do next, in words it will follow. */
function guidance(response: ExecAnswer): string {
  const plan = response.plan;
  const commands = plan ? plan.commands.map((c) => `  $ ${c}`).join("\n") : "";
  switch (response.status) {
    case "awaiting_confirmation":
      // Without a token the person already said no (in the client's own dialog): nothing to call again with.
      if (!response.confirmToken) return [`NOT APPROVED (risk: ${response.risk}). Nothing was run.`, commands, response.message].join("\n");
      return [
        `NEEDS USER APPROVAL (risk: ${response.risk}). Nothing was run.`,
        `Planned: ${plan?.summary ?? ""}`,
        commands,
        response.message,
        "Show the plan to the user; call again only if the user explicitly approves (with the same arguments). Never set confirm = true without asking.",
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
  return [
    `${verdict.decision.toUpperCase()} (risk ${verdict.risk})`,
    ...verdict.reasons.map((r) => `- [${r.code}] ${r.message}`),
    ...verdict.suggestions.map((s) => `try: ${s}`),
    ...(verdict.next ? [verdict.next] : []),
  ].join("\n");
}

/** What the list of tools depends on: the configured tools (mcp.tools) and whether the server runs read-only. */
export interface ToolOffer {
  readonly config: { readonly mcp: { readonly tools?: readonly string[] | undefined } };
  readonly policy: { readonly modes: { readonly readOnly: boolean } };
}

/**
 * A runtime built when it is first needed: the tools are listed from configuration and policy alone, and the
 * first tool call (or `start`, e.g. once the list has been answered) builds the runtime, once. Nothing a call
 * depends on is skipped: every call waits for the whole runtime (target, policy, audit) before it runs.
 */
export class DeferredRuntime implements ToolOffer {
  #building: Promise<RagK8s> | undefined;
  #fail: (error: unknown) => void = () => {};
  /** Rejects with the build's error if building the runtime fails; never resolves. */
  readonly failure: Promise<never>;

  constructor(
    readonly config: ToolOffer["config"],
    readonly policy: ToolOffer["policy"],
    private readonly build: () => Promise<RagK8s>,
  ) {
    this.failure = new Promise<never>((_resolve, reject) => (this.#fail = reject));
    // Whoever serves decides what a failure means; an unobserved one is not an unhandled rejection.
    this.failure.catch(() => {});
  }

  /** Starts building the runtime unless it has started already. */
  start(): void {
    void this.ready().catch(() => {});
  }

  /** The runtime, built on first use. */
  ready(): Promise<RagK8s> {
    this.#building ??= this.build().catch((error: unknown) => {
      this.#fail(error);
      throw error;
    });
    return this.#building;
  }

  /** The runtime if it was built (to close it), undefined if it never started or failed. */
  async built(): Promise<RagK8s | undefined> {
    return this.#building?.catch(() => undefined);
  }
}

/** A runtime the tools use as it is, or one built when a call first needs it. */
export type ToolHost = RagK8s | DeferredRuntime;

function runtimeOf(host: ToolHost): Promise<RagK8s> {
  return host instanceof DeferredRuntime ? host.ready() : Promise.resolve(host);
}

/** The tools this server offers: mcp.tools (default all), and never k8s_exec in read-only mode. */
export function offeredTools(host: ToolOffer): (tool: string) => boolean {
  const allowed = host.config.mcp.tools;
  const readOnly = host.policy.modes.readOnly;
  return (tool) => (allowed === undefined || allowed.includes(tool)) && !(readOnly && tool === execOperation.mcp.tool);
}

/** A read as its text: what the command printed, then where it ran; anything but an answer reads as guidance. */
function readText(answer: ReadAnswer): string {
  if (answer.status !== "succeeded" && answer.status !== "failed") return "";
  return [
    ...(answer.commands?.map((c) => `$ ${c}`) ?? []),
    answer.output ?? "",
    answer.stderr ? `stderr:\n${answer.stderr}` : "",
    answer.exitCode === undefined ? "" : `exit code: ${answer.exitCode ?? "none (timed out or did not start)"}`,
    `— ${answer.target}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** Wraps every tool call, e.g. to track it until it settles. */
export type TrackCall = (call: Promise<CallToolResult>) => Promise<CallToolResult>;

export interface ToolOptions {
  readonly track?: TrackCall;
  /** k8s_exec answers once per (client, idempotencyKey); shared by every connection of one server process. */
  readonly idempotency?: IdempotencyStore<ExecAnswer>;
  /** Who is calling, for idempotency keys (e.g. the remote address; "stdio"). */
  readonly client?: string;
}

const ExecToolInput = execOperation.input.safeExtend({
  idempotencyKey: IdempotencyKeySchema.optional().describe(
    "Any unique string per intended operation: a retry with the same key and arguments gets the first run's answer instead of running again.",
  ),
});

/** The plan as the person sees it in the client's dialog. */
function approvalQuestion(response: ExecAnswer): string {
  const commands = response.plan?.commands.map((c) => `  $ ${c}`).join("\n") ?? "";
  return stripTerminalEscapes(`rag-k8s wants to run a ${response.risk}-risk operation on the cluster:\n${response.plan?.summary ?? ""}\n${commands}\nRun it?`);
}

/**
 * Asks the person through the MCP client (elicitation) whether to run exactly this plan; true only on an
 * explicit accept with approve = true. A client that fails to ask is a refusal.
 */
async function personApproves(server: McpServer, response: ExecAnswer): Promise<boolean> {
  try {
    const answer = await server.server.elicitInput({
      mode: "form",
      message: approvalQuestion(response),
      requestedSchema: {
        type: "object",
        properties: { approve: { type: "boolean", title: "Run this operation", description: "Yes runs exactly the commands shown, once" } },
        required: ["approve"],
      },
    });
    return answer.action === "accept" && answer.content?.["approve"] === true;
  } catch {
    return false;
  }
}

/**
 * k8s_exec. When the client can ask its user (elicitation), the person approves in the client's own dialog and
 * whatever approval the model put in the arguments is ignored; otherwise the two-step confirmToken flow applies.
 */
function execTool(server: McpServer, host: ToolHost, options: ToolOptions) {
  return async (args: z.output<typeof ExecToolInput>): Promise<CallToolResult> => {
    const { idempotencyKey, ...request } = args;
    const runtime = await runtimeOf(host);
    const canAsk = server.server.getClientCapabilities()?.elicitation?.form !== undefined;
    const run = async (): Promise<ExecAnswer> => {
      if (!canAsk) return execOperation.run(runtime, request, {});
      const unapproved = { ...request, constraints: { ...request.constraints, confirm: false, confirmToken: undefined } };
      const asked = await execOperation.run(runtime, unapproved, {});
      if (asked.status !== "awaiting_confirmation") return asked;
      if (!(await personApproves(server, asked))) {
        const { confirmToken: _token, expiresAt: _expiry, ...declined } = asked;
        return { ...declined, message: "the person did not approve it in the client; nothing was run. Do not retry unless the person asks for it again." };
      }
      const approved: ExecRequestInput = { ...request, constraints: { ...request.constraints, confirm: true, confirmToken: asked.confirmToken } };
      return execOperation.run(runtime, approved as typeof request, { approvedBy: "elicitation" });
    };
    if (idempotencyKey === undefined || !options.idempotency) {
      const response = await run();
      return result(guidance(response), response);
    }
    const outcome = await options.idempotency.run({ key: idempotencyKey, client: options.client ?? "unknown", requestDigest: requestDigest(request) }, run);
    switch (outcome.kind) {
      case "conflict":
      case "busy":
        return result(`ERROR (input): ${outcome.message}`, { error: outcome.message, kind: outcome.kind }, true);
      case "replayed":
        return result(`REPLAYED: the answer of the first call with this idempotencyKey (nothing ran again).\n${guidance(outcome.value)}`, { ...outcome.value, replayed: true });
      case "first":
        return result(guidance(outcome.value), outcome.value);
    }
  };
}

/** Registers every operation as a tool: its input schema, annotations and handler, with text an agent follows. */
export function registerTools(server: McpServer, host: ToolHost, options: ToolOptions = {}): void {
  const track = options.track ?? ((call: Promise<CallToolResult>) => call);
  const offers = offeredTools(host);
  const guard = (work: () => Promise<CallToolResult>): Promise<CallToolResult> =>
    track(
      (async () => {
        try {
          return await work();
        } catch (error) {
          return toolError(error);
        }
      })(),
    );
  /** The structured result is the operation's model view where it has one (also handed to `text`), else its output. */
  const register = <I extends z.ZodType, O extends object, D extends keyof RagK8s>(
    operation: Operation<I, O, D>,
    text: (output: O, structured: Record<string, unknown>) => string,
  ) => {
    if (!offers(operation.mcp.tool)) return;
    const view = operation.mcp.view;
    const call = (args: z.output<I>): Promise<CallToolResult> =>
      guard(async () => {
        const output = await operation.run(await runtimeOf(host), args, {});
        const structured = view ? view.from(output) : (output as Record<string, unknown>);
        return result(text(output, structured), structured);
      });
    // The SDK infers the callback's argument type from the schema; for a schema chosen at run time it cannot.
    const config = {
      title: operation.title,
      description: operation.description,
      inputSchema: operation.input,
      outputSchema: view?.output ?? operation.output,
      annotations: { title: operation.title, ...operation.annotations },
    };
    server.registerTool(operation.mcp.tool, config, call as never);
  };
  register(readOperation, (answer, view) => readText(view as ReadAnswer) || guidance(answer));
  if (offers(execOperation.mcp.tool)) {
    const exec = execTool(server, host, options);
    const execConfig = {
      title: execOperation.title,
      description: execOperation.description,
      inputSchema: ExecToolInput,
      outputSchema: execOperation.output,
      annotations: execOperation.annotations,
    };
    server.registerTool(execOperation.mcp.tool, execConfig, ((args: z.output<typeof ExecToolInput>) => guard(() => exec(args))) as never);
  }
  register(planOperation, guidance);
  register(retrieveOperation, (output) => output.context ?? "");
  register(validateOperation, validationText);
  register(healthOperation, renderHealth);
}
