import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import { parseWith } from "../../../core/errors.js";
import { ExecRequestSchema } from "../../../core/request.js";
import type { RagK8s } from "../../../core/runtime.js";
import type { ExecResponse } from "../../../core/response.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import { UsageError } from "../errors.js";
import { exitCodeFor } from "../exit-codes.js";
import { formatResponse } from "../format.js";
import type { GlobalOptions } from "../options.js";

export interface RequestFlags {
  readonly file?: string;
  readonly intent?: string;
  readonly resource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly selector?: string;
  readonly goal?: string;
  readonly replicas?: number;
  readonly tail?: number;
  readonly since?: string;
  readonly container?: string;
  readonly previous?: boolean;
  readonly timeout?: string;
  readonly revision?: number;
  readonly phase?: string;
  readonly suffix?: string;
  readonly dryRun?: boolean;
  readonly confirm?: boolean;
  readonly confirmToken?: string;
}

const PARAM_FLAGS = ["replicas", "tail", "since", "container", "previous", "timeout", "revision", "phase", "suffix"] as const;

/** Builds the request from --file (JSON) or from flags; flags never mix with a file, so nothing is guessed. */
export async function requestFrom(flags: RequestFlags, goalWords: readonly string[]): Promise<unknown> {
  const goal = flags.goal ?? (goalWords.length ? goalWords.join(" ") : undefined);
  if (flags.file) {
    if (flags.intent || flags.resource || goal) throw new UsageError("--file cannot be combined with --intent/--resource/goal");
    const text = flags.file === "-" ? await readStdin() : await readFile(flags.file, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot read ${flags.file}: ${error.code ?? error.message}`);
    });
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(`${flags.file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const params: Record<string, unknown> = {};
  for (const key of PARAM_FLAGS) if (flags[key] !== undefined) params[key] = flags[key];
  const request: Record<string, unknown> = {};
  for (const key of ["intent", "resource", "namespace", "name", "selector"] as const) {
    if (flags[key] !== undefined) request[key] = flags[key];
  }
  if (goal !== undefined) request["goal"] = goal;
  if (Object.keys(params).length) request["params"] = params;
  request["constraints"] = {
    dryRun: flags.dryRun ?? false,
    confirm: flags.confirm ?? false,
    ...(flags.confirmToken !== undefined ? { confirmToken: flags.confirmToken } : {}),
  };
  return request;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

async function askToConfirm(response: ExecResponse): Promise<boolean> {
  process.stdout.write(`${formatResponse(response)}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`Run it? This is a ${response.risk}-risk operation. [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** The same request, approved for exactly the plan the user was shown. */
function withConfirm(request: unknown, confirmToken: string | undefined): unknown {
  const r = request as { constraints?: Record<string, unknown> };
  return { ...r, constraints: { ...r.constraints, confirm: true, ...(confirmToken ? { confirmToken } : {}) } };
}

export async function runExec(mode: "exec" | "plan", flags: RequestFlags, goalWords: string[], options: GlobalOptions): Promise<number> {
  const request = await requestFrom(flags, goalWords);
  // Bad input is rejected before the runtime (and possibly the sandbox) starts: exit 2, nothing touched.
  parseWith(ExecRequestSchema, request);
  const work = async (runtime: RagK8s): Promise<number> => {
    let response = await runtime[mode](request);
    const interactive = mode === "exec" && !options.json && process.stdin.isTTY && process.stdout.isTTY;
    if (response.status === "awaiting_confirmation" && interactive) {
      if (!(await askToConfirm(response))) {
        process.stdout.write("Not confirmed; nothing was run.\n");
        return exitCodeFor(response.status);
      }
      response = await runtime.exec(withConfirm(request, response.confirmToken));
    }
    if (options.json) printJson(response);
    else process.stdout.write(`${formatResponse(response)}\n`);
    return exitCodeFor(response.status);
  };
  return withRuntime(options, work, mode === "plan" ? PLAN_ONLY : {});
}
