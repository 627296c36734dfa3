import { createInterface } from "node:readline/promises";
import type { RagK8s } from "../../../app/runtime.js";
import type { OperationOptions } from "../../../core/pipeline.js";
import { parseWith } from "../../../core/errors.js";
import { ExecRequestSchema } from "../../../core/request.js";
import type { ExecResponse } from "../../../core/response.js";
import { PLAN_ONLY, printJson, withRuntime } from "../context.js";
import { exitCodeFor } from "../exit-codes.js";
import { formatResponse } from "../format.js";
import { formatConfirmation, isYes } from "../prompt.js";
import type { GlobalOptions } from "../options.js";
import { requestFrom } from "../request.js";
import type { RequestFlags } from "../request.js";

async function askToConfirm(response: ExecResponse): Promise<boolean> {
  process.stdout.write(`${formatConfirmation(response)}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return isYes(await rl.question("Proceed? [y/N] "));
  } finally {
    rl.close();
  }
}

/** The same request, approved for exactly the plan the user was shown. */
function withConfirm(request: Record<string, unknown>, confirmToken: string | undefined): unknown {
  const constraints = request["constraints"] as Record<string, unknown> | undefined;
  return { ...request, constraints: { ...constraints, confirm: true, ...(confirmToken ? { confirmToken } : {}) } };
}

/**
 * A person at a terminal gets the whole output, and sees it as it comes; machines (--json, pipes) get the
 * configured cap. --max-output caps it anyway; --stream streams without a terminal.
 */
function outputFor(flags: { maxOutput?: number; stream?: boolean }, options: GlobalOptions): OperationOptions {
  const person = !options.json && process.stdout.isTTY === true;
  const budgetChars = flags.maxOutput ?? (person ? Number.POSITIVE_INFINITY : undefined);
  const stream = flags.stream === true || person;
  return {
    ...(budgetChars !== undefined ? { budgetChars } : {}),
    ...(stream && !options.json ? { onOutput: (chunk: string) => void process.stdout.write(chunk) } : {}),
  };
}

export async function runExec(mode: "exec" | "plan", flags: RequestFlags & { maxOutput?: number; stream?: boolean }, goalWords: string[], options: GlobalOptions): Promise<number> {
  const request = await requestFrom(flags, goalWords);
  // Bad input is rejected before the runtime (and possibly the sandbox) starts: exit 2, nothing touched.
  parseWith(ExecRequestSchema, request);
  const work = async (runtime: RagK8s): Promise<number> => {
    // --confirm was typed by the person at this terminal: the one face where the flag itself approves.
    const output = outputFor(flags, options);
    let response = await runtime[mode](request, { ...output, ...(flags.confirm ? { approvedBy: "terminal-flag" as const } : {}) });
    const interactive = mode === "exec" && !options.json && process.stdin.isTTY && process.stdout.isTTY;
    if (response.status === "awaiting_confirmation" && interactive) {
      if (!(await askToConfirm(response))) {
        process.stdout.write("Not confirmed; nothing was run.\n");
        return exitCodeFor(response.status);
      }
      response = await runtime.exec(withConfirm(request, response.confirmToken), { ...output, approvedBy: "terminal-prompt" });
      // The plan was on screen a moment ago: the result follows without it.
      process.stdout.write(`${formatResponse(response, { plan: false })}\ntarget    ${runtime.target.describe}\n`);
      return exitCodeFor(response.status);
    }
    if (options.json) printJson(response);
    else process.stdout.write(`${formatResponse(response)}\ntarget    ${runtime.target.describe}\n`);
    return exitCodeFor(response.status);
  };
  return withRuntime(options, work, mode === "plan" ? PLAN_ONLY : {});
}
