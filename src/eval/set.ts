import { readFile } from "node:fs/promises";
import { z } from "zod";

export const EvalCaseSchema = z
  .object({
    id: z.string().min(1).optional(),
    /** A full request (structured or with a goal) … */
    request: z.record(z.string(), z.unknown()).optional(),
    /** … or just a goal. */
    goal: z.string().min(1).optional(),
    expect: z
      .object({
        /** The exact command (multi-step plans: one command per line). */
        command: z.string().min(1).optional(),
        /** A regular expression the command must match. */
        commandRegex: z.string().min(1).optional(),
        /** The expected pipeline status when no command is expected, e.g. needs_input. */
        status: z.enum(["planned", "awaiting_confirmation", "denied", "needs_input", "succeeded", "dry_run", "failed"]).optional(),
        decision: z.enum(["allow", "confirm", "deny"]).optional(),
        /** The request must be refused as invalid, with an error message containing this text. */
        error: z.string().min(1).optional(),
      })
      .strict(),
  })
  .strict()
  .refine((c) => (c.request === undefined) !== (c.goal === undefined), "give exactly one of request or goal");
export type EvalCase = z.infer<typeof EvalCaseSchema>;

export class EvalSetError extends Error {
  override readonly name = "EvalSetError";
}

/** Reads a JSONL eval set; each line is checked, and errors name the file and line. */
export async function readEvalSet(file: string): Promise<EvalCase[]> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new EvalSetError(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  const cases: EvalCase[] = [];
  for (const [index, line] of text.split("\n").entries()) {
    if (line.trim() === "" || line.trimStart().startsWith("//")) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new EvalSetError(`${file}:${index + 1}: not JSON: ${(error as Error).message}`);
    }
    const parsed = EvalCaseSchema.safeParse(json);
    if (!parsed.success) {
      throw new EvalSetError(`${file}:${index + 1}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "case"}: ${i.message}`).join("; ")}`);
    }
    cases.push({ ...parsed.data, id: parsed.data.id ?? `${file}:${index + 1}` });
  }
  return cases;
}

export function caseRequest(c: EvalCase): unknown {
  return c.request ?? { goal: c.goal };
}
