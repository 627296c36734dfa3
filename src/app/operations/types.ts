import type { z } from "zod";
import type { ApprovedBy } from "../../core/confirmation.js";
import type { RagK8s } from "../runtime.js";

/** MCP tool annotations, also used by the HTTP and CLI faces to describe what an operation may change. */
export interface OperationAnnotations {
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

export interface OperationContext {
  /** Correlates logs and the audit line with the caller's request id. */
  readonly operationId?: string;
  /** Set by a face's own code when a person approved there (terminal prompt or flag, MCP elicitation); never from input. */
  readonly approvedBy?: ApprovedBy;
}

/**
 * One operation, defined once and registered by every face: the CLI command, the HTTP route and the MCP tool
 * all validate with `input`, run `run`, and return what `output` describes.
 */
export interface Operation<I extends z.ZodType, O, D extends keyof RagK8s> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly input: I;
  readonly output: z.ZodType<O>;
  readonly annotations: OperationAnnotations;
  readonly http: { readonly method: "POST"; readonly path: string };
  readonly mcp: { readonly tool: string; readonly view?: ModelView<O> };
  /** Only the parts of the runtime it uses, so a face can run it without starting the rest. */
  run(runtime: Pick<RagK8s, D>, input: z.output<I>, context: OperationContext): Promise<O>;
}

/**
 * The result a model is handed over MCP when it differs from what machines get over HTTP: a smaller object that
 * still holds the whole answer (some clients hand the model only structuredContent, others only the text).
 */
export interface ModelView<O> {
  readonly output: z.ZodType;
  from(output: O): Record<string, unknown>;
}

export function defineOperation<I extends z.ZodType, O, D extends keyof RagK8s>(operation: Operation<I, O, D>): Operation<I, O, D> {
  return operation;
}
