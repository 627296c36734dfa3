import { createInterface } from "node:readline/promises";
import type { RagK8s } from "../../../app/runtime.js";
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
      // The plan was on screen a moment ago: the result follows without it.
      process.stdout.write(`${formatResponse(response, { plan: false })}\n`);
      return exitCodeFor(response.status);
    }
    if (options.json) printJson(response);
    else process.stdout.write(`${formatResponse(response)}\n`);
    return exitCodeFor(response.status);
  };
  return withRuntime(options, work, mode === "plan" ? PLAN_ONLY : {});
}
