import type { Discovery, ResourceInfo } from "./discovery.js";
import type { ApiRequest, ApiResponse, Target } from "./target.js";

/** What a command printed and how it ended, before caps, digests and redaction. */
export interface CommandOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** Everything a command needs to talk to its cluster. */
export interface CommandContext {
  readonly target: Target;
  readonly discovery: Discovery;
  /** The namespace when `-n` is not given: the context's namespace, else "default". */
  readonly defaultNamespace: string;
  readonly signal: AbortSignal;
  /** Current time; injectable so restarts and ages are testable. */
  now(): Date;
}

/** A command the API executor understood: run it, or (for shapes it only recognises at run time) decline. */
export type Planned = (ctx: CommandContext) => Promise<CommandOutput | typeof DECLINE>;

/**
 * Returned by a command that found, once it saw the server's answer, something it does not print exactly as
 * kubectl (a paused deployment, a kind without a Table): kubectl runs the argv instead. Nothing was written.
 */
export const DECLINE = Symbol("decline");

export const ok = (stdout: string, stderr = ""): CommandOutput => ({ code: 0, stdout, stderr });
export const fail = (stderr: string, stdout = ""): CommandOutput => ({ code: 1, stdout, stderr });

export async function call(ctx: CommandContext, req: Omit<ApiRequest, "signal">): Promise<ApiResponse> {
  return ctx.target.request({ ...req, signal: ctx.signal });
}

export async function resolveType(ctx: CommandContext, typed: string): Promise<ResourceInfo | undefined> {
  return ctx.discovery.resolve(typed, ctx.signal);
}

export function json(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** `?a=b&c=d` from the defined entries, or "" when none is. */
export function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, v);
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}
