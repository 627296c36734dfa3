// Leaf modules, not the stages' indexes: a face loads this on its error path only.
import { ApprovalSecretError, ApprovalStoreError } from "../approval/errors.js";
import { AuditReadError, AuditWriteError } from "../audit/errors.js";
import { CardLoadError } from "../cards/load.js";
import { CardRenderError } from "../cards/render.js";
import { TemplateSyntaxError } from "../cards/template.js";
import { ConfigError } from "../config/errors.js";
import { RagK8sError } from "../core/errors.js";
import type { ErrorKind, FieldIssue } from "../core/errors.js";
import { EvalSetError } from "../eval/set.js";
import { ExecutorError } from "../executor/errors.js";
import { OptionalPackageMissingError } from "../optional-package.js";
import { LlmError } from "../planner/llm/errors.js";
import { PolicyLoadError } from "../policy/load.js";
import { EmbedderRequiredError, EmbeddingModelMissingError, EmptyQueryError } from "../retrieval/errors.js";
import { FixtureError } from "../sandbox/fixture.js";

export interface ClassifiedError {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly issues?: readonly FieldIssue[] | readonly unknown[];
}

/** Errors the stages raise, by the kind of failure they are; checked with instanceof, never by name. */
const STAGE_KINDS: readonly (readonly [abstract new (...args: never[]) => Error, ErrorKind])[] = [
  [ConfigError, "input"],
  [CardLoadError, "input"],
  [CardRenderError, "input"],
  [TemplateSyntaxError, "input"],
  [PolicyLoadError, "input"],
  [EmptyQueryError, "input"],
  [EvalSetError, "input"],
  [FixtureError, "input"],
  [EmbeddingModelMissingError, "input"],
  [EmbedderRequiredError, "environment"],
  [ExecutorError, "environment"],
  [LlmError, "environment"],
  [AuditWriteError, "environment"],
  [AuditReadError, "environment"],
  [ApprovalSecretError, "environment"],
  [ApprovalStoreError, "environment"],
  [OptionalPackageMissingError, "environment"],
];

function issuesOf(error: Error): readonly unknown[] | undefined {
  for (const key of ["issues", "problems"]) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value) && value.length > 0) return value;
  }
  return undefined;
}

/** What kind of failure an error is, with a message that says what to fix; each face maps the kind to its code. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof RagK8sError) return { kind: error.kind, message: error.message, ...(error.issues.length ? { issues: error.issues } : {}) };
  if (error instanceof Error) {
    const kind = STAGE_KINDS.find(([type]) => error instanceof type)?.[1];
    if (kind === "environment" && error instanceof AuditWriteError) {
      return { kind, message: `${error.message} (a mutation that cannot be audited does not run)` };
    }
    if (kind) {
      const issues = issuesOf(error);
      return { kind, message: error.message, ...(issues ? { issues } : {}) };
    }
    return { kind: "internal", message: error.stack ?? error.message };
  }
  return { kind: "internal", message: String(error) };
}
